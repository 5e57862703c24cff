// Reads a migration file as the text PostgreSQL will get, refusing what would run something else than
// the folder's file or change its text on the way: a symbolic link resolving outside the folder (a link
// to ~/.env or /etc/passwd would be sent, and quoted in the error), a dangling link, something not a file,
// and bytes that are not UTF-8 (Node would replace them with U+FFFD silently; UTF-16 reaches the server
// as garbage that looks like a broken connection). Each refusal is a UserError naming the file and what
// to fix, and quotes nothing of the file.
import { isUtf8 } from "node:buffer";
import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors/errors.ts";

/** Why a file cannot be read as a migration; byteOffset: where in the file, for an encoding problem. */
export class MigrationFileError extends UserError {
  override name = "MigrationFileError";
  constructor(
    message: string,
    readonly byteOffset?: number,
  ) {
    super(message);
  }
}

/** The text of a file of `folder`, or a UserError saying why it cannot be a migration. */
export function readMigrationText(file: string, folder: string = path.dirname(file)): string {
  const shown = path.basename(file);
  const resolved = resolveInside(file, folder, shown);
  const stat = statSync(resolved);
  if (!stat.isFile()) throw new MigrationFileError(`${shown} is not a file (a ${stat.isDirectory() ? "directory" : "special file"}): remove it from the migrations folder or rename it so it does not end in .sql`);
  return decodeMigration(readFileSync(resolved), shown);
}

/** The real path of file, when it lies inside folder (through links too). */
function resolveInside(file: string, folder: string, shown: string): string {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    let link = false;
    try {
      link = lstatSync(file).isSymbolicLink();
    } catch {
      // the file itself is gone
    }
    if (link) throw new MigrationFileError(`${shown} is a symbolic link to a file that does not exist: fix or remove the link`);
    if (code === "ENOENT") throw new MigrationFileError(`${shown} was removed while migrations were read: rerun`);
    throw new MigrationFileError(`cannot read ${shown} (${code ?? (error as Error).message}): check the file's permissions`);
  }
  const realFolder = realpathSync(folder);
  const relative = path.relative(realFolder, real);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new MigrationFileError(`${shown} is a symbolic link that resolves outside the migrations folder: n8n-sync reads only files inside it; copy the migration into the folder instead of linking it`);
  }
  return real;
}

/** The bytes as UTF-8 text, or a UserError naming the encoding problem and its byte offset. */
export function decodeMigration(bytes: Buffer, shown: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw new MigrationFileError(`${shown} is UTF-16 (little-endian byte order mark): save it as UTF-8`);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) throw new MigrationFileError(`${shown} is UTF-16 (big-endian byte order mark): save it as UTF-8`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new MigrationFileError(`${shown} starts with a UTF-8 byte order mark, which PostgreSQL and Supabase CLI read as part of the SQL: save it as UTF-8 without BOM`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const utf16 = nul <= 1 || bytes[nul + 2] === 0 || bytes[nul - 2] === 0;
    throw new MigrationFileError(
      utf16 ? `${shown} looks like UTF-16 (zero bytes from byte ${nul}): save it as UTF-8` : `${shown} holds a zero byte at byte ${nul}, which PostgreSQL cannot take: remove it`,
      nul,
    );
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    throw new MigrationFileError(`${shown} is not valid UTF-8 at byte ${at} (0x${bytes[at]!.toString(16).padStart(2, "0")}): save it as UTF-8 (it may be Latin-1 or Windows-1252)`, at);
  }
  return bytes.toString("utf8");
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === -1) return i;
    const min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const max = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
