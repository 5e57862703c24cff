-- The statement every workflow migration runs, filled in by render.ts: it replaces the `-- @data` line
-- with the workflow's constants (the only part that differs between files) and picks the dollar tag
-- ($n8n_sync$) so that no content can end it early. Everything else here is copied into each file as is.
-- Literals shared with TypeScript (settings names, reasons, outcomes, the NOTICE prefix) are checked
-- word for word by test/unit/workflows/apply-workflow-sql.test.ts.
-- Node cannot import a .sql file and a runtime read breaks in the esbuild bundles, so `npm run build`
-- (scripts/embed-sql.ts) writes apply-workflow.sql.ts, the same text as a string constant.

-- One statement (atomic under any runner) that applies one n8n workflow by id, keeping the target's
-- executions, ownership and history. Optional settings (transaction-local; migrate-up sets them):
-- n8n_sync.schema, n8n_sync.project_id, n8n_sync.publish ('keep' leaves an active workflow on its published
-- version), n8n_sync.credential_map, n8n_sync.environment (this database's environment: step 5c).
DO $n8n_sync$
DECLARE
  -- @data

  -- This run's settings (migrate-up sets them; another runner leaves them unset: the defaults apply).
  publish_mode    constant text  := coalesce(nullif(current_setting('n8n_sync.publish', true), ''), 'publish');
  project_setting constant text  := nullif(current_setting('n8n_sync.project_id', true), '');
  credential_map  constant jsonb := coalesce(nullif(current_setting('n8n_sync.credential_map', true), ''), '{}')::jsonb;

  -- Where n8n's tables are, the target's state and what this file does to it.
  wanted_schema     constant text := nullif(current_setting('n8n_sync.schema', true), '');
  schemas           text[];
  t_found           boolean;
  t_version_id      text;
  t_updated_at      timestamptz;
  t_active          boolean;
  t_archived        boolean;
  t_folder          text;
  last_synced       text;
  last_folder       text;
  is_2x             boolean;
  decision          text;
  why               text;
  writes            boolean;
  publishes         boolean := false;
  reload_needed     boolean := false;
  previous_published text;
  publication_queued boolean := false;
  nodes_here        json := in_nodes;
  node_texts        text[];
  node_edits        jsonb := '{}';
  credential_report jsonb := '[]';
  ref               record;
  edit              record;
  cred              record;
  cred_id           text;
  cred_status       text;
  match_count       int;
  has_source_id     boolean;
  node_text         text;
  edited            jsonb;
  marker            text;
  marker_code       int;
  owner_project     text;
  owned             boolean;
  folder_name       text;
  folder_id         text;
  result_folder     text;
  synced_folder     text;
  reference_report  jsonb := '[]';
  table_id          text;
  callee            record;
  callee_published  boolean;
  caller_active     boolean;
  var_name          text;
  unresolved        jsonb;
  result_outcome    text;
  problems          text;
  node_use          record;
  latest_version    float8;
  here_version      text;
  here_n8n          int[];
  made_on           int[];
  type_use          record;
  instance_rule     text;
  instance_default  text;
  project_rule      text;
  project_default   text;
  blocked_by        text;
  -- Environment values (step 5c).
  env_target        text;
  env_slot          record;
  env_part          text;
  env_ord           bigint;
  env_text          text;
  env_value         text;
  env_recorded      text;
BEGIN
  -- 0. Wait for n8n (n8n-sync's src/workflows/waiting.ts). The Supabase CLI applies this folder to
  --    databases n8n has never started on (`supabase start` on a fresh clone, `db reset`, the shadow
  --    database of `db diff`, preview branches, CI), and n8n creates its tables only when it first boots.
  --    There this file must not fail: it records this statement in supabase_migrations.n8n_sync_waiting
  --    (a schema the Supabase CLI's db diff and db dump leave out; nothing is added where n8n's tables go),
  --    says so in a NOTICE and ends, and its history row is written as for any file. The first migrate-up
  --    that finds n8n's tables applies it, as this same statement, before any pending file. It also waits
  --    when n8n has no owner yet for a new workflow (step 5a would fail), and behind an earlier waiting
  --    file of the same workflow, so versions land in file order. A schema set in n8n_sync.schema
  --    without n8n's tables while they exist elsewhere is a misconfiguration: step 1 raises.
  DECLARE
    wait_schemas text[];
    wait_schema  text;
    wait_reason  text;
    wait_query   text;
    wait_sql     text;
    wait_tag     text;
    wait_from    int := 1;
    wait_start   int;
    wait_end     int;
    wait_ownerless boolean;
    wait_behind  boolean := false;
  BEGIN
    SELECT array_agg(n.nspname::text ORDER BY n.nspname) INTO wait_schemas
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = 'workflow_entity' AND c.relkind IN ('r', 'p');
    -- (dynamic SQL: the table may not exist, and a static query naming it would not even be planned)
    IF to_regclass('supabase_migrations.n8n_sync_waiting') IS NOT NULL THEN
      EXECUTE 'SELECT EXISTS (SELECT 1 FROM supabase_migrations.n8n_sync_waiting w WHERE w.workflow_id = $1 AND w.migration_file < $2)'
        INTO wait_behind USING in_id, in_migration;
    END IF;
    wait_schema := CASE WHEN wanted_schema IS NOT NULL THEN wanted_schema WHEN cardinality(wait_schemas) = 1 THEN wait_schemas[1] END;
    IF wait_schemas IS NULL THEN
      wait_reason := 'n8n has not created its tables in this database yet';
    ELSIF NOT coalesce(wait_schema = ANY(wait_schemas), false) THEN
      NULL; -- n8n_sync.schema names a schema without them, or several have them: step 1 says so
    ELSIF wait_behind THEN
      wait_reason := 'an earlier file of this workflow is waiting';
    ELSIF project_setting IS NULL THEN
      EXECUTE format(
        'SELECT NOT EXISTS (SELECT 1 FROM %1$I.workflow_entity w WHERE w.id = $1)
            AND NOT EXISTS (SELECT 1 FROM %1$I.project p
                              JOIN %1$I.project_relation pr ON pr."projectId" = p.id AND pr.role = ''project:personalOwner''
                              JOIN %1$I."user" u ON u.id = pr."userId" AND u."roleSlug" = ''global:owner''
                             WHERE p.type = ''personal'')
            AND (SELECT count(*) FROM %1$I.project p WHERE p.type = ''team'' AND $2 ->> ''type'' = ''team'' AND p.name = $2 ->> ''name'') <> 1',
        wait_schema) INTO wait_ownerless USING in_id, in_project;
      IF wait_ownerless THEN
        wait_reason := 'n8n has no owner account yet for this new workflow (finish its setup)';
      END IF;
    END IF;
    IF wait_reason IS NOT NULL THEN
      -- This statement, out of what the runner sent: psql and the Supabase CLI send it alone, migrate-up
      -- with its transaction around it. It is the DO block whose body names this file and workflow.
      wait_query := current_query();
      LOOP
        wait_tag := substring(substr(wait_query, wait_from) FROM '\mDO (\$n8n_sync(?:_[0-9]+)?\$)');
        EXIT WHEN wait_tag IS NULL;
        wait_start := wait_from - 1 + strpos(substr(wait_query, wait_from), 'DO ' || wait_tag);
        wait_end := strpos(substr(wait_query, wait_start + 3 + length(wait_tag)), wait_tag);
        EXIT WHEN wait_end = 0;
        wait_end := wait_start + 3 + length(wait_tag) + wait_end - 1 + length(wait_tag);
        wait_sql := substr(wait_query, wait_start, wait_end - wait_start);
        EXIT WHEN strpos(wait_sql, '''' || replace(in_migration, '''', '''''') || '''') > 0
              AND strpos(wait_sql, '''' || replace(in_id, '''', '''''') || '''') > 0;
        wait_sql := NULL;
        wait_from := wait_end;
      END LOOP;
      IF wait_sql IS NULL THEN
        RAISE EXCEPTION 'n8n-sync could not find this workflow migration''s statement (%) in what the runner sent: apply the file with migrate-up, psql or the Supabase CLI', in_migration;
      END IF;
      CREATE SCHEMA IF NOT EXISTS supabase_migrations;
      CREATE TABLE IF NOT EXISTS supabase_migrations.n8n_sync_waiting (
        migration_file text PRIMARY KEY,
        workflow_id    text NOT NULL,
        name           text NOT NULL,
        reason         text NOT NULL,
        statement      text NOT NULL,
        recorded_at    timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO supabase_migrations.n8n_sync_waiting AS w (migration_file, workflow_id, name, reason, statement)
      VALUES (in_migration, in_id, in_name, wait_reason, wait_sql)
      ON CONFLICT (migration_file) DO UPDATE
         SET workflow_id = EXCLUDED.workflow_id, name = EXCLUDED.name, reason = EXCLUDED.reason,
             statement = EXCLUDED.statement, recorded_at = now();
      RAISE NOTICE USING
        MESSAGE = format('n8n-sync: "%s" (%s) waits for n8n''s tables: %s; it lands on the first migrate-up after n8n has created them', in_name, in_id, wait_reason),
        DETAIL = jsonb_build_object('migration', in_migration, 'workflowId', in_id, 'name', in_name,
          'outcome', 'waiting', 'reason', wait_reason, 'incomingVersionId', in_version_id,
          'previousVersionId', NULL, 'reloadNeeded', false, 'credentials', '[]'::jsonb, 'references', '[]'::jsonb)::text;
      RETURN;
    END IF;
  END;

  -- 1. Work in the schema holding n8n's tables: n8n_sync.schema, else the only one that has them.
  SELECT array_agg(n.nspname::text ORDER BY n.nspname) INTO schemas
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relname = 'workflow_entity' AND c.relkind IN ('r', 'p')
     AND (wanted_schema IS NULL OR n.nspname = wanted_schema);
  IF schemas IS NULL THEN
    RAISE EXCEPTION 'n8n tables not found in schema %: start n8n once, then rerun (or set N8N_DB_SCHEMA to n8n''s DB_POSTGRESDB_SCHEMA)', coalesce(wanted_schema, '(any)');
  ELSIF cardinality(schemas) > 1 THEN
    RAISE EXCEPTION 'n8n tables found in several schemas (%): set n8n_sync.schema (N8N_DB_SCHEMA) to one', array_to_string(schemas, ', ');
  END IF;
  PERFORM set_config('search_path', quote_ident(schemas[1]), true);

  -- 2. n8n-sync's bookkeeping, the only table it adds: a row per applied workflow migration
  --    (no foreign key: n8n stays free to delete workflows).
  IF to_regclass('migration_metadata') IS NULL THEN
    CREATE TABLE migration_metadata (
      migration_file      text PRIMARY KEY,
      source              text NOT NULL,
      workflow_id         varchar(36),
      created_at          timestamptz NOT NULL DEFAULT now(),
      synced_at           timestamptz NOT NULL DEFAULT now(),
      notes               text,
      outcome             text,
      incoming_version_id varchar(36),
      previous_version_id varchar(36),
      result_version_id   varchar(36),
      source_updated_at   timestamptz(3),
      result_folder_id    varchar(36),
      unresolved          jsonb
    );
    CREATE INDEX migration_metadata_workflow_id_idx ON migration_metadata (workflow_id, synced_at);
  ELSIF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = 'migration_metadata'::regclass
                       AND a.attname = 'result_folder_id' AND NOT a.attisdropped) THEN
    -- Written by an n8n-sync before folders travelled: where it put a workflow was the project root.
    ALTER TABLE migration_metadata ADD COLUMN result_folder_id varchar(36), ADD COLUMN unresolved jsonb;
  END IF;
  -- nodeGroups exists on n8n 2.x only, which publishes through activeVersionId.
  is_2x := EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = 'workflow_entity'::regclass
                      AND a.attname = 'nodeGroups' AND NOT a.attisdropped);

  -- 3. The target's row, locked until commit.
  SELECT w."versionId"::text, w."updatedAt", w.active, w."isArchived", w."parentFolderId"
    INTO t_version_id, t_updated_at, t_active, t_archived, t_folder
    FROM workflow_entity w WHERE w.id = in_id FOR UPDATE;
  t_found := FOUND;

  -- 4. The version n8n-sync last wrote or confirmed here (a skipped conflict wrote nothing), and the
  --    folder it left the workflow in.
  SELECT m.result_version_id, m.result_folder_id INTO last_synced, last_folder FROM migration_metadata m
   WHERE m.workflow_id = in_id AND m.outcome IN ('inserted', 'updated', 'unchanged', 'overwrote-conflict')
   ORDER BY m.synced_at DESC, m.migration_file DESC LIMIT 1;

  -- 5. Decide: fast-forward what n8n-sync wrote; when edited here since, the newer updatedAt wins
  --    (the same rules as resolveConflict in n8n-sync's src/workflows/conflict.ts).
  IF NOT t_found THEN
    decision := 'insert'; why := 'new to this database';
  ELSIF t_version_id = in_version_id THEN
    decision := 'unchanged'; why := 'this database already has this version';
  ELSIF EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = in_id AND h."versionId" = in_version_id) THEN
    -- It held the file's version once: what it holds now descends from it (never a step back).
    decision := 'unchanged'; why := 'this database already has a newer version (the file''s version is in its history)';
  ELSIF t_version_id = last_synced THEN
    decision := 'update'; why := 'this database still has the version n8n-sync last wrote here';
  ELSIF in_updated_at > t_updated_at THEN
    decision := 'overwrite-conflict';
    why := CASE WHEN last_synced IS NULL THEN 'a different version exists here and was never synced; the file''s version is newer' ELSE 'edited here since the last sync; the file''s version is newer' END;
  ELSE
    decision := 'skip-conflict';
    why := CASE WHEN last_synced IS NULL THEN 'a different version exists here and was never synced; this database''s version is newer or as new' ELSE 'edited here since the last sync; this database''s version is newer or as new' END;
  END IF;
  writes := decision IN ('insert', 'update', 'overwrite-conflict');

  -- 5a. The project that owns the workflow here: its owner; for a workflow without one (new here)
  --    n8n_sync.project_id, else the one team project named as the source's team project, else the
  --    instance owner's personal project (a team project not found here, or found twice, is reported).
  SELECT s."projectId" INTO owner_project FROM shared_workflow s
   WHERE s."workflowId" = in_id AND s.role = 'workflow:owner' ORDER BY s."createdAt" LIMIT 1;
  owned := owner_project IS NOT NULL;
  IF NOT owned AND decision <> 'skip-conflict' THEN
    IF project_setting IS NOT NULL THEN
      SELECT p.id INTO owner_project FROM project p WHERE p.id = project_setting;
      IF owner_project IS NULL THEN
        RAISE EXCEPTION 'project % (N8N_PROJECT_ID) not found in this n8n database: use the id of an existing project', project_setting;
      END IF;
    ELSE
      IF in_project ->> 'type' = 'team' THEN
        SELECT count(*), min(p.id) INTO match_count, owner_project FROM project p
         WHERE p.type = 'team' AND p.name = in_project ->> 'name';
        IF match_count <> 1 THEN
          owner_project := NULL;
          reference_report := reference_report || jsonb_build_array(jsonb_build_object(
            'kind', 'project', 'name', in_project ->> 'name', 'status', CASE WHEN match_count = 0 THEN 'missing' ELSE 'ambiguous' END,
            'message', format('%s named "%s" here: owned by the instance owner''s personal project',
                              CASE WHEN match_count = 0 THEN 'no team project' ELSE match_count || ' team projects' END, in_project ->> 'name')));
        END IF;
      END IF;
      IF owner_project IS NULL THEN
        SELECT p.id INTO owner_project FROM project p
          JOIN project_relation pr ON pr."projectId" = p.id AND pr.role = 'project:personalOwner'
          JOIN "user" u ON u.id = pr."userId" AND u."roleSlug" = 'global:owner'
         WHERE p.type = 'personal' ORDER BY p."createdAt", p.id LIMIT 1;
        IF owner_project IS NULL THEN
          RAISE EXCEPTION 'no owner for workflow %: this n8n has no owner account yet (finish its setup) or set N8N_PROJECT_ID', in_id;
        END IF;
      END IF;
    END IF;
  END IF;

  -- 5b. The folder: a new workflow goes to the folder of the file's path in its project, reusing
  --    folders by name and parent (that project only) and making missing ones as n8n does. An update
  --    follows the file only while the workflow is still where n8n-sync left it; a move made here is
  --    kept and reported. Folders are never moved or deleted (n8n deletes a folder's workflows with it).
  result_folder := t_folder;
  synced_folder := t_folder;
  IF writes AND to_regclass('folder') IS NOT NULL THEN
    IF decision = 'insert' OR t_folder IS NOT DISTINCT FROM last_folder THEN
      result_folder := NULL;
      FOR folder_name IN SELECT f.name FROM json_array_elements_text(in_folder_path) WITH ORDINALITY AS f(name, ord) ORDER BY f.ord LOOP
        SELECT f.id INTO folder_id FROM folder f
         WHERE f."projectId" = owner_project AND f.name = folder_name AND f."parentFolderId" IS NOT DISTINCT FROM result_folder
         ORDER BY f."createdAt", f.id LIMIT 1;
        IF folder_id IS NULL THEN
          -- n8n's ids: 16 characters of [0-9A-Za-z] (nanoid).
          SELECT string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + floor(random() * 62)::int, 1), '')
            INTO folder_id FROM generate_series(1, 16);
          INSERT INTO folder (id, name, "parentFolderId", "projectId") VALUES (folder_id, folder_name, result_folder, owner_project);
          reference_report := reference_report || jsonb_build_array(jsonb_build_object(
            'kind', 'folder', 'name', folder_name, 'id', folder_id, 'status', 'created'));
        END IF;
        result_folder := folder_id;
      END LOOP;
      synced_folder := result_folder;
    ELSE
      -- Recorded as where n8n-sync left it, so later versions keep respecting the move.
      synced_folder := last_folder;
      reference_report := reference_report || jsonb_build_array(jsonb_build_object(
        'kind', 'folder', 'name', (SELECT string_agg(n, '/') FROM json_array_elements_text(in_folder_path) AS n), 'id', t_folder, 'status', 'kept',
        'message', format('moved to another folder here since n8n-sync put it there: kept there (the file has "/%s")',
                          (SELECT coalesce(string_agg(n, '/'), '') FROM json_array_elements_text(in_folder_path) AS n))));
    END IF;
  END IF;

  -- 5c. Environment values (the values file, e.g. supabase/n8n-values.json). The file's nodes hold the
  --     values of the environment it was exported from (in_environment). This database's environment is
  --     n8n_sync.environment (migrate-up --env), recorded in n8n_sync_environment so that a file applied
  --     later by another runner (Supabase CLI, psql) finds it, else the one recorded there. In another
  --     environment each parameter holding named values (in_env_slots) is rebuilt from its literal parts
  --     with this environment's values (the source's where this one has none); nothing else changes. In
  --     the source environment nodes stay as written, and with no environment known too (reported).
  env_target := nullif(current_setting('n8n_sync.environment', true), '');
  IF env_target IS NOT NULL THEN
    IF to_regclass('n8n_sync_environment') IS NULL THEN
      CREATE TABLE n8n_sync_environment (
        singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        name        text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
    END IF;
    SELECT e.name INTO env_recorded FROM n8n_sync_environment e;
    IF env_recorded <> env_target THEN
      -- Said, not refused (a database may change role); a wrong --env would write another environment's values.
      reference_report := reference_report || jsonb_build_array(jsonb_build_object(
        'kind', 'environmentValue', 'status', 'switched',
        'message', format('this database was migrated as %s until now and is now %s: if that is wrong, rerun migrate-up with --env %s', env_recorded, env_target, env_recorded)));
    END IF;
    INSERT INTO n8n_sync_environment AS e (name) VALUES (env_target)
    ON CONFLICT (singleton) DO UPDATE SET name = EXCLUDED.name, recorded_at = now() WHERE e.name <> EXCLUDED.name;
  ELSIF to_regclass('n8n_sync_environment') IS NOT NULL THEN
    SELECT e.name INTO env_target FROM n8n_sync_environment e;
  END IF;
  IF writes AND in_environment IS NOT NULL AND json_array_length(in_env_slots) > 0 THEN
    IF env_target IS NULL THEN
      reference_report := reference_report || jsonb_build_array(jsonb_build_object(
        'kind', 'environmentValue', 'status', 'unknown',
        'message', format('environment unknown here (migrate-up --env never ran on this database): applied with %s''s values as written', in_environment)));
    ELSIF env_target <> in_environment THEN
      -- Node parameters only, whatever a hand-edited file says.
      FOR env_slot IN SELECT * FROM json_to_recordset(in_env_slots) AS s("nodeIndex" int, node text, path json, parts json)
                       WHERE s.path ->> 0 = 'parameters' AND json_array_length(s.path) > 1 LOOP
        env_text := '';
        FOR env_part, env_ord IN SELECT p.part, p.ord FROM json_array_elements_text(env_slot.parts) WITH ORDINALITY AS p(part, ord) LOOP
          IF env_ord % 2 = 1 THEN
            env_text := env_text || env_part;
          ELSE
            env_value := in_env_values -> env_part ->> env_target;
            env_text := env_text || coalesce(env_value, in_env_values -> env_part ->> in_environment);
            IF NOT reference_report @> jsonb_build_array(jsonb_build_object('kind', 'environmentValue', 'name', env_part, 'node', env_slot.node)) THEN
              reference_report := reference_report || jsonb_build_array(jsonb_build_object(
                'kind', 'environmentValue', 'name', env_part, 'node', env_slot.node,
                'status', CASE WHEN env_value IS NULL THEN 'kept' ELSE 'replaced' END,
                'from', in_env_values -> env_part ->> in_environment, 'to', coalesce(env_value, in_env_values -> env_part ->> in_environment),
                'message', CASE WHEN env_value IS NULL
                  THEN format('%s: no %s value in the file: kept %s''s %s (node "%s")', env_part, env_target, in_environment, in_env_values -> env_part ->> in_environment, env_slot.node)
                  ELSE format('%s: %s -> %s (node "%s")', env_part, in_env_values -> env_part ->> in_environment, env_value, env_slot.node) END));
            END IF;
          END IF;
        END LOOP;
        node_edits := jsonb_set(node_edits, ARRAY[env_slot."nodeIndex"::text], coalesce(node_edits -> env_slot."nodeIndex"::text, '[]')
          || jsonb_build_array(jsonb_build_object('path', env_slot.path, 'value', to_jsonb(env_text))));
      END LOOP;
    END IF;
  END IF;

  IF writes THEN
    -- 6. Credentials: each reference becomes this database's credential: an explicit binding
    --    (n8n_sync.credential_map) that exists here, else the only one with the same type and name,
    --    else the same id and type. Missing and ambiguous ones keep the source's id and are reported.
    FOR ref IN SELECT * FROM json_to_recordset(in_credentials) AS r("nodeIndex" int, node text, type text, id text, name text) LOOP
      SELECT c.id INTO cred_id FROM credentials_entity c WHERE c.id = credential_map ->> ref.id;
      IF cred_id IS NOT NULL THEN
        cred_status := 'bound';
      ELSE
        SELECT count(*), min(c.id), coalesce(bool_or(c.id = ref.id), false) INTO match_count, cred_id, has_source_id
          FROM credentials_entity c WHERE c.type = ref.type AND c.name = ref.name;
        IF match_count = 1 THEN
          cred_status := CASE WHEN cred_id = ref.id THEN 'unchanged' ELSE 'remapped' END;
        ELSIF has_source_id THEN
          cred_id := ref.id; cred_status := 'unchanged';
        ELSIF match_count > 1 THEN
          cred_id := ref.id; cred_status := 'ambiguous';
        ELSIF EXISTS (SELECT 1 FROM credentials_entity c WHERE c.id = ref.id AND c.type = ref.type) THEN
          cred_id := ref.id; cred_status := 'unchanged';
        ELSE
          cred_id := ref.id; cred_status := 'missing';
        END IF;
      END IF;
      credential_report := credential_report || jsonb_build_array(jsonb_build_object(
        'node', ref.node, 'type', ref.type, 'name', ref.name, 'status', cred_status));
      IF cred_id IS DISTINCT FROM ref.id THEN
        node_edits := jsonb_set(node_edits, ARRAY[ref."nodeIndex"::text], coalesce(node_edits -> ref."nodeIndex"::text, '[]')
          || jsonb_build_array(jsonb_build_object('path', jsonb_build_array('credentials', ref.type, 'id'), 'value', cred_id)));
      END IF;
    END LOOP;

    -- Data tables: each becomes the table with the same name in the workflow's project here (n8n keeps
    -- names unique per project), in the locator's value and its cachedResultUrl. None: the source's id
    -- stays (it may be that table, renamed), reported unless it is a table of that project.
    IF to_regclass('data_table') IS NOT NULL THEN
      FOR ref IN SELECT * FROM json_to_recordset(in_references -> 'dataTables') AS r("nodeIndex" int, node text, parameter text, id text, name text) LOOP
        SELECT d.id INTO table_id FROM data_table d WHERE d."projectId" = owner_project AND d.name = ref.name;
        IF table_id IS NOT NULL THEN
          cred_status := CASE WHEN table_id = ref.id THEN 'unchanged' ELSE 'remapped' END;
        ELSE
          table_id := ref.id;
          cred_status := CASE WHEN EXISTS (SELECT 1 FROM data_table d WHERE d.id = ref.id AND d."projectId" = owner_project) THEN 'unchanged' ELSE 'missing' END;
        END IF;
        reference_report := reference_report || jsonb_build_array(jsonb_build_object(
          'kind', 'dataTable', 'node', ref.node, 'name', ref.name, 'id', table_id, 'status', cred_status,
          'message', CASE WHEN cred_status = 'missing' THEN format('missing data table "%s" of node "%s" (none of that name in the workflow''s project here)', ref.name, ref.node) END));
        IF table_id IS DISTINCT FROM ref.id THEN
          node_edits := jsonb_set(node_edits, ARRAY[ref."nodeIndex"::text], coalesce(node_edits -> ref."nodeIndex"::text, '[]')
            || jsonb_build_array(jsonb_build_object('path', jsonb_build_array('parameters', ref.parameter, 'value'), 'value', table_id)));
          IF json_extract_path(in_nodes -> ref."nodeIndex", 'parameters', ref.parameter, 'cachedResultUrl') IS NOT NULL THEN
            node_edits := jsonb_set(node_edits, ARRAY[ref."nodeIndex"::text], node_edits -> ref."nodeIndex"::text
              || jsonb_build_array(jsonb_build_object('path', jsonb_build_array('parameters', ref.parameter, 'cachedResultUrl'),
                                                      'value', format('/projects/%s/datatables/%s', owner_project, table_id))));
          END IF;
        END IF;
      END LOOP;
    END IF;

    -- Rewrite only the nodes whose credential or data table ids change; every other node keeps its text.
    -- jsonb cannot hold \u0000, so in an edited node those escapes are swapped for a character the
    -- node does not contain, and swapped back after the edit.
    IF node_edits <> '{}' THEN
      SELECT array_agg(e.node::text ORDER BY e.ord) INTO node_texts
        FROM json_array_elements(in_nodes) WITH ORDINALITY AS e(node, ord);
      FOR edit IN SELECT key::int + 1 AS pos, value AS edits FROM jsonb_each(node_edits) LOOP
        node_text := node_texts[edit.pos];
        marker := NULL;
        IF node_text ~ '\\u0000' THEN
          marker_code := 57344; -- U+E000, private use
          WHILE position(chr(marker_code) IN node_text) > 0 OR node_text ~* ('\\u' || to_hex(marker_code)) LOOP
            marker_code := marker_code + 1;
          END LOOP;
          marker := chr(marker_code);
          node_text := regexp_replace(node_text, '(?<!\\)((?:\\\\)*)\\u0000', '\1' || marker, 'g');
        END IF;
        edited := node_text::jsonb;
        FOR cred IN SELECT ARRAY(SELECT jsonb_array_elements_text(e -> 'path')) AS path, e -> 'value' AS value
                      FROM jsonb_array_elements(edit.edits) AS e LOOP
          edited := jsonb_set(edited, cred.path, cred.value);
        END LOOP;
        node_text := edited::text;
        IF marker IS NOT NULL THEN
          node_text := replace(node_text, marker, '\u0000');
        END IF;
        node_texts[edit.pos] := node_text;
      END LOOP;
      nodes_here := ('[' || array_to_string(node_texts, ',' || chr(10)) || ']')::json;
    END IF;

    -- 7. The definition comes from the file; the target keeps its own executions, staticData,
    --    triggerCount, createdAt, webhooks and active flag. Never DELETE + INSERT: that
    --    would cascade away executions, history and ownership.
    IF decision = 'insert' THEN
      -- New workflows arrive inactive.
      INSERT INTO workflow_entity (id, name, active, nodes, connections, settings, meta, description,
                                   "versionId", "isArchived", "pinData", "createdAt", "updatedAt", "parentFolderId")
      VALUES (in_id, in_name, false, nodes_here, in_connections, in_settings, in_meta, in_description,
              in_version_id, in_archived, in_pin_data, in_created_at, in_updated_at, result_folder);
    END IF;

    -- 8. History row of this version: n8n 2.x runs an active workflow's published version from it.
    INSERT INTO workflow_history ("versionId", "workflowId", authors, nodes, connections, name, description,
                                  "createdAt", "updatedAt")
    VALUES (in_version_id, in_id, 'n8n-sync', nodes_here, in_connections, in_name, in_description,
            in_updated_at, in_updated_at)
    ON CONFLICT ("versionId") DO NOTHING;

    IF decision <> 'insert' THEN
      -- An active workflow publishes the new version unless n8n_sync.publish = 'keep'. An archived
      -- workflow is never published: n8n archives only inactive workflows.
      publishes := t_active AND NOT t_archived AND NOT in_archived AND publish_mode <> 'keep';
      reload_needed := t_active AND (publishes OR in_archived);
      SELECT w."activeVersionId" INTO previous_published FROM workflow_entity w WHERE w.id = in_id;
      UPDATE workflow_entity w
         SET name = in_name, nodes = nodes_here, connections = in_connections, settings = in_settings,
             meta = in_meta, description = in_description, "versionId" = in_version_id,
             "updatedAt" = in_updated_at, "isArchived" = in_archived,
             active = w.active AND NOT in_archived,
             "activeVersionId" = CASE WHEN in_archived THEN NULL
                                      WHEN publishes THEN in_version_id
                                      ELSE w."activeVersionId" END,
             "pinData" = CASE WHEN in_carries_pin_data THEN in_pin_data ELSE w."pinData" END,
             "parentFolderId" = result_folder
       WHERE w.id = in_id;

      -- 8a. n8n 2.3x+ publishes through its outbox: queue the row n8n's own publish writes (its
      --     WorkflowPublicationOutboxRepository.enqueue), in this transaction, so that n8n's next outbox
      --     poll makes the version live whatever runner applies the file: no API key, a slow reconciler
      --     or multi-main change nothing. Archiving an active workflow queues its unpublish, as n8n does.
      IF reload_needed AND to_regclass('workflow_publication_outbox') IS NOT NULL THEN
        INSERT INTO workflow_publication_outbox ("workflowId", "publishedVersionId", status, reason)
        VALUES (in_id, CASE WHEN publishes THEN in_version_id ELSE coalesce(previous_published, t_version_id) END, 'pending', 'publish')
        ON CONFLICT ("workflowId", status) WHERE status IN ('pending', 'in_progress')
        DO UPDATE SET "publishedVersionId" = EXCLUDED."publishedVersionId", reason = EXCLUDED.reason,
                      "updatedAt" = CURRENT_TIMESTAMP(3);
        publication_queued := true;
      END IF;
    END IF;

    IF in_node_groups IS NOT NULL AND is_2x THEN
      EXECUTE 'UPDATE workflow_entity SET "nodeGroups" = $1 WHERE id = $2' USING in_node_groups, in_id;
      EXECUTE 'UPDATE workflow_history SET "nodeGroups" = $1 WHERE "versionId" = $2' USING in_node_groups, in_version_id;
    END IF;

    -- 9. Tags: the workflow's tags become the file's set, matched by name, created when missing.
    INSERT INTO tag_entity (id, name)
    SELECT substr(md5('n8n-sync tag ' || t.name), 1, 16), t.name FROM json_array_elements_text(in_tags) AS t(name)
    ON CONFLICT DO NOTHING;
    DELETE FROM workflows_tags wt
     WHERE wt."workflowId" = in_id
       AND wt."tagId" NOT IN (SELECT e.id FROM tag_entity e WHERE e.name IN (SELECT json_array_elements_text(in_tags)));
    INSERT INTO workflows_tags ("workflowId", "tagId")
    SELECT in_id, e.id FROM tag_entity e WHERE e.name IN (SELECT json_array_elements_text(in_tags))
    ON CONFLICT DO NOTHING;

    -- 9a. Called workflows keep their ids: report each one this database lacks, or has not published
    --     (2.x: no activeVersionId; 1.x: inactive) while the caller is active here (a new caller
    --     arrives inactive: its callees are checked when it is updated while active).
    caller_active := coalesce(t_active, false) AND NOT in_archived;
    FOR callee IN SELECT * FROM json_to_recordset(in_references -> 'workflows') AS r("nodeIndex" int, node text, id text, name text) LOOP
      SELECT CASE WHEN is_2x THEN w."activeVersionId" IS NOT NULL ELSE w.active END INTO callee_published
        FROM workflow_entity w WHERE w.id = callee.id;
      cred_status := CASE WHEN NOT FOUND THEN 'missing' WHEN caller_active AND NOT callee_published THEN 'unpublished' ELSE 'found' END;
      reference_report := reference_report || jsonb_build_array(jsonb_build_object(
        'kind', 'workflow', 'node', callee.node, 'name', callee.name, 'id', callee.id, 'status', cred_status,
        'message', CASE cred_status WHEN 'missing' THEN format('missing sub-workflow "%s" (%s) called by node "%s": sync it too', callee.name, callee.id, callee.node)
                                    WHEN 'unpublished' THEN format('unpublished sub-workflow "%s" (%s) called by node "%s": publish it here', callee.name, callee.id, callee.node) END));
    END LOOP;
    IF json_array_length(in_references -> 'expressionCalls') > 0 THEN
      reference_report := reference_report || jsonb_build_array(jsonb_build_object(
        'kind', 'workflow', 'node', (SELECT string_agg(n, ', ') FROM json_array_elements_text(in_references -> 'expressionCalls') AS n), 'status', 'unchecked',
        'message', format('sub-workflow chosen by an expression in node %s: cannot be checked before it runs',
                          (SELECT string_agg(format('"%s"', n), ', ') FROM json_array_elements_text(in_references -> 'expressionCalls') AS n))));
    END IF;

    -- 9b. Variables: report each $vars name defined neither globally nor in the workflow's project here.
    IF to_regclass('variables') IS NOT NULL THEN
      FOR var_name IN SELECT json_array_elements_text(in_references -> 'variables') LOOP
        IF NOT EXISTS (SELECT 1 FROM variables v WHERE v.key = var_name AND (v."projectId" IS NULL OR v."projectId" = owner_project)) THEN
          reference_report := reference_report || jsonb_build_array(jsonb_build_object(
            'kind', 'variable', 'name', var_name, 'status', 'missing', 'message', format('missing variable $vars.%s', var_name)));
        END IF;
      END LOOP;
    END IF;

    -- 9c. Node types (n8n's "unknown node" boxes, triggers that never fire): each node whose type a
    --     community package provides in the source needs that package here, installed at a version whose
    --     node reaches the node's typeVersion (installed_nodes.latestVersion, as n8n records it on
    --     install); a type this n8n's type availability policy (2.x) denies in the workflow's project is
    --     reported; a file made on a newer n8n (major.minor) than this one says so once (nothing when
    --     either version is unknown). Nodes keep their type and typeVersion as in the file.
    IF to_regclass('installed_nodes') IS NOT NULL AND to_regclass('installed_packages') IS NOT NULL THEN
      FOR node_use IN SELECT * FROM json_to_recordset(in_community_nodes)
                        AS r("nodeIndex" int, node text, type text, "typeVersion" float8, package text, version text) LOOP
        SELECT n."latestVersion", p."installedVersion" INTO latest_version, here_version
          FROM installed_nodes n LEFT JOIN installed_packages p ON p."packageName" = n.package
         WHERE n.type = node_use.type;
        cred_status := CASE WHEN NOT FOUND THEN 'missing' WHEN latest_version < node_use."typeVersion" THEN 'outdated' ELSE 'found' END;
        reference_report := reference_report || jsonb_build_array(jsonb_build_object(
          'kind', 'nodeType', 'node', node_use.node, 'name', node_use.type, 'status', cred_status,
          'message', CASE cred_status
            WHEN 'missing' THEN format('missing node type %s of node "%s": install the community package %s %s here (Settings > Community nodes)',
                                       node_use.type, node_use.node, node_use.package, node_use.version)
            WHEN 'outdated' THEN format('node "%s" uses %s version %s, which package %s %s here does not have (up to version %s): update %s to %s',
                                        node_use.node, node_use.type, node_use."typeVersion", node_use.package, coalesce(here_version, '(unknown version)'),
                                        latest_version, node_use.package, node_use.version) END));
      END LOOP;
    END IF;

    -- n8n 2.x's policy for kind 'node-types', as n8n evaluates it (policy-evaluator): per scope (the
    -- instance: projectId NULL; the project), the first rule matching the type by name or by package
    -- (the type up to its first dot), floor attachments first, each by priority, else the scope's
    -- defaultAction (no scope: allow). The instance's deny wins; its delegate lets the project allow by
    -- a rule; otherwise the project must allow too.
    IF to_regclass('type_availability_policy_scope') IS NOT NULL THEN
      -- Read from each node's text with \u0000 escapes swapped for U+FFFD (json cannot give them as text).
      FOR type_use IN SELECT n.node ->> 'type' AS type, string_agg(format('"%s"', n.node ->> 'name'), ', ' ORDER BY n.ord) AS nodes
                        FROM (SELECT regexp_replace(e.node::text, '(?<!\\)((?:\\\\)*)\\u0000', '\1\\ufffd', 'g')::json AS node, e.ord
                                FROM json_array_elements(in_nodes) WITH ORDINALITY AS e(node, ord)) AS n
                       WHERE json_typeof(n.node) = 'object' AND json_typeof(n.node -> 'type') = 'string'
                       GROUP BY n.node ->> 'type' ORDER BY min(n.ord) LOOP
        SELECT max(v.rule) FILTER (WHERE v.instance), max(v.fallback) FILTER (WHERE v.instance),
               max(v.rule) FILTER (WHERE NOT v.instance), max(v.fallback) FILTER (WHERE NOT v.instance)
          INTO instance_rule, instance_default, project_rule, project_default
          FROM (SELECT s."projectId" IS NULL AS instance, s."defaultAction"::text AS fallback,
                       (SELECT r.rule ->> 'action'
                          FROM type_availability_policy_attachment a
                          JOIN type_availability_policy p ON p.id = a."policyId",
                               json_array_elements(p.rules) WITH ORDINALITY AS r(rule, ord)
                         WHERE a."scopeId" = s.id
                           AND ((r.rule -> 'selector' ->> 'kind' = 'name' AND r.rule -> 'selector' ->> 'value' = type_use.type)
                             OR (r.rule -> 'selector' ->> 'kind' = 'package' AND r.rule -> 'selector' ->> 'value' = split_part(type_use.type, '.', 1)))
                         ORDER BY a."isFloor" DESC, a.priority, r.ord LIMIT 1) AS rule
                  FROM type_availability_policy_scope s
                 WHERE s.kind = 'node-types' AND (s."projectId" IS NULL OR s."projectId" = owner_project)) AS v;
        instance_default := coalesce(instance_rule, instance_default, 'allow');
        project_default := coalesce(project_rule, project_default, 'allow');
        blocked_by := CASE WHEN instance_default = 'deny' THEN 'an instance policy'
                           WHEN instance_default = 'delegate' AND project_rule = 'allow' THEN NULL
                           WHEN instance_default = 'delegate' AND project_default = 'allow' THEN 'an instance policy'
                           WHEN project_default <> 'allow' THEN 'the project''s policy' END;
        IF blocked_by IS NOT NULL THEN
          reference_report := reference_report || jsonb_build_array(jsonb_build_object(
            'kind', 'nodeType', 'node', type_use.nodes, 'name', type_use.type, 'status', 'denied',
            'message', format('node type %s (node %s) is blocked here by %s: n8n refuses to publish or run it; ask an admin to allow it',
                              type_use.type, type_use.nodes, blocked_by)));
        END IF;
      END LOOP;
    END IF;

    -- The n8n version: n8n 2.x adds a row to instance_version_history when it starts on a new version.
    IF in_n8n_version IS NOT NULL AND to_regclass('instance_version_history') IS NOT NULL THEN
      SELECT ARRAY[v.major, v.minor, v.patch] INTO here_n8n FROM instance_version_history v ORDER BY v."createdAt" DESC, v.id DESC LIMIT 1;
      made_on := string_to_array(substring(in_n8n_version FROM '^[0-9]+\.[0-9]+\.[0-9]+'), '.')::int[];
      IF here_n8n IS NOT NULL AND made_on IS NOT NULL AND here_n8n[1:2] < made_on[1:2] THEN
        reference_report := reference_report || jsonb_build_array(jsonb_build_object(
          'kind', 'n8nVersion', 'name', in_n8n_version, 'status', 'older',
          'message', format('made on n8n %s, this n8n is %s: nodes introduced since may be unknown here', in_n8n_version, array_to_string(here_n8n, '.'))));
      END IF;
    END IF;
  END IF;

  -- 10. The owner decided in step 5a (without one n8n does not show the workflow), also for a workflow
  --     this database already had at this version. Existing ownership stays.
  IF decision <> 'skip-conflict' AND NOT owned THEN
    INSERT INTO shared_workflow ("workflowId", "projectId", role) VALUES (in_id, owner_project, 'workflow:owner');
  END IF;

  -- 11. Bookkeeping and the report (migrate-up prints it; a conflict is never silent). Applying the
  --    same file again finds the same version and changes nothing.
  result_outcome := CASE decision WHEN 'insert' THEN 'inserted' WHEN 'update' THEN 'updated'
    WHEN 'unchanged' THEN 'unchanged' WHEN 'skip-conflict' THEN 'skipped-conflict' ELSE 'overwrote-conflict' END;
  SELECT string_agg(format('%s credential "%s" (%s) of node "%s"', c ->> 'status', c ->> 'name', c ->> 'type', c ->> 'node'), '; ')
    INTO problems FROM jsonb_array_elements(credential_report) AS c WHERE c ->> 'status' IN ('missing', 'ambiguous');
  -- Unresolved: what stays pointing at nothing here (migrate-up --fail-on-missing-references stops on it).
  SELECT jsonb_agg(r -> 'message') FILTER (WHERE r ->> 'status' IN ('missing', 'ambiguous', 'unpublished', 'outdated', 'denied')),
         concat_ws('; ', problems, string_agg(r ->> 'message', '; '))
    INTO unresolved, problems FROM jsonb_array_elements(reference_report) AS r;
  problems := nullif(problems, '');
  INSERT INTO migration_metadata AS m (migration_file, source, workflow_id, outcome, notes, incoming_version_id,
                                       previous_version_id, result_version_id, source_updated_at, result_folder_id, unresolved)
  VALUES (in_migration, in_source, in_id, result_outcome, concat_ws('; ', why, problems), in_version_id,
          t_version_id, CASE WHEN decision = 'skip-conflict' THEN t_version_id ELSE in_version_id END, in_updated_at, synced_folder, unresolved)
  ON CONFLICT (migration_file) DO UPDATE
     SET outcome = EXCLUDED.outcome, notes = EXCLUDED.notes, workflow_id = EXCLUDED.workflow_id,
         incoming_version_id = EXCLUDED.incoming_version_id, previous_version_id = EXCLUDED.previous_version_id,
         result_version_id = EXCLUDED.result_version_id, source_updated_at = EXCLUDED.source_updated_at,
         result_folder_id = EXCLUDED.result_folder_id, unresolved = EXCLUDED.unresolved,
         synced_at = now()
   WHERE EXCLUDED.outcome <> 'unchanged';
  RAISE NOTICE USING
    MESSAGE = format('n8n-sync: %s"%s" (%s) %s: %s%s%s',
      CASE WHEN decision LIKE '%conflict' THEN 'CONFLICT: ' ELSE '' END, in_name, in_id,
      CASE decision WHEN 'skip-conflict' THEN 'kept this database''s version'
                    WHEN 'overwrite-conflict' THEN 'overwritten with the file''s version'
                    ELSE result_outcome END,
      why,
      CASE WHEN publication_queued THEN '; queued for n8n to publish' WHEN reload_needed THEN '; n8n must reload it' ELSE '' END,
      CASE WHEN problems IS NULL THEN '' ELSE '; ' || problems END),
    DETAIL = jsonb_build_object('migration', in_migration, 'workflowId', in_id, 'name', in_name,
      'outcome', result_outcome, 'reason', why, 'incomingVersionId', in_version_id,
      'previousVersionId', t_version_id, 'reloadNeeded', reload_needed, 'credentials', credential_report,
      'publicationQueued', publication_queued, 'publishedVersionId', CASE WHEN publishes THEN in_version_id END,
      'previousPublishedVersionId', previous_published,
      'references', reference_report)::text;
END
$n8n_sync$;
