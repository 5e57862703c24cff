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
-- version), n8n_sync.credential_map.
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
BEGIN
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
  SELECT jsonb_agg(r -> 'message') FILTER (WHERE r ->> 'status' IN ('missing', 'ambiguous', 'unpublished')),
         concat_ws('; ', problems, string_agg(r ->> 'message', '; '))
    INTO unresolved, problems FROM jsonb_array_elements(reference_report) AS r;
  problems := nullif(problems, '');
  INSERT INTO migration_metadata AS m (migration_file, source, workflow_id, outcome, notes, incoming_version_id,
                                       previous_version_id, result_version_id, source_updated_at, result_folder_id, unresolved)
  VALUES (in_migration, in_source, in_id, result_outcome, concat_ws('; ', why, problems), in_version_id,
          t_version_id, CASE WHEN writes THEN in_version_id ELSE t_version_id END, in_updated_at, synced_folder, unresolved)
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
