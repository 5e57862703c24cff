// What the runner takes from the domain whose files it applies (n8n workflows, plugged in by
// src/workflows/runner-hooks.ts): the runner itself knows files, history, lock, plan and apply only, as
// Kysely's Migrator takes a provider and Graphile Migrate takes pgSettings and before/after actions.
import type pg from "pg";
import type { LoadedMigration } from "./file.ts";
import type { Notice } from "./apply.ts";

/** Why a run stops before a file, or applies nothing: a status of the domain's and the line to print. */
export interface RunStop<Status extends string> {
  status: Status;
  message: string;
}

/** What a hook may do with the run's connection while the runner holds the migration lock. */
export interface HeldRun {
  client: pg.Client;
  /** SQL that raises once the migration lock is gone: run it last in any transaction a hook commits */
  guardSql: string | undefined;
  /** the settings every file gets (lock_timeout, statement_timeout): for SQL a hook applies as a file would be */
  baseSettings: Readonly<Record<string, string>>;
  warn(message: string): void;
}

export interface RunnerHooks<Facts extends object, Report, Described extends object, Status extends string> {
  /** what the domain reads from a file's text; merged into the file's entries (e.g. { workflow: true }) */
  factsOf(sql: string): Facts;
  /** the domain's facts of a file the run did not read (it stopped before) */
  unknownFacts: { [K in keyof Facts]?: undefined };
  /** transaction-local settings (custom GUCs) for one file */
  settingsFor(facts: Facts): Readonly<Record<string, string>>;
  /** a file's NOTICE as the domain's report; undefined: not one (a WARNING then becomes a warning line) */
  reportOf(notice: Notice): Report | undefined;
  /** with the lock held, before the pending files are applied (also when none is): undefined to go on */
  beforePending?(run: HeldRun): Promise<RunStop<Status> | undefined>;
  /** before each pending file: undefined to apply it, else why the run stops before it */
  beforeFile?(client: pg.Client, migration: LoadedMigration & Facts): Promise<RunStop<Status> | undefined>;
  /** what each pending file would do, in order (a dry run; a real run only with `planFirst`) */
  describe?(client: pg.Client, pending: ReadonlyArray<PendingFile<Facts>>): Promise<Described[]>;
  /** a real run with `planFirst`: stop before applying anything, from the descriptions */
  refuse?(described: readonly Described[]): RunStop<Status> | undefined;
}

/** A pending file as `describe` gets it: read on demand, one in memory at a time. */
export interface PendingFile<Facts> {
  file: string;
  version: string;
  facts: Facts;
  load(): Promise<LoadedMigration>;
}
