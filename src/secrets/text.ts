// The secrets one text holds: a node parameter, a Code node's source, a URL, a note, a pinned item.
// One pass per text: a single keyword search decides which rules run (as gitleaks' prefilter does), so
// the common text (a field name, an expression, a short label) costs one regex. Rules, in order:
//   1. token formats (rules.ts), known by prefix and shape wherever they stand;
//   2. credentials in URLs: the user part (`scheme://user:password@`, Sentry DSNs) and query
//      parameters named like a secret (`?api_key=`, `&sig=`);
//   3. connection strings of the `Key=value;` kind (`Password=...;`);
//   4. secret-looking assignments in code and JSON (`const apiKey = "..."`, `"password": "..."`), with
//      gitleaks generic-api-key's keyword + entropy checks;
//   5. the field the text is stored under (`password`, `X-API-Key` of a header list).
// n8n expressions: what {{ ... }} reads at run time ($credentials, $vars, $json) is no finding, but a
// literal inside one is (`{{ JSON.stringify({ token: "..." }) }}` writes it into the file too).
import { mixesLettersAndDigits, TOKEN_RULES, type TokenRule } from "./rules.ts";

export interface SecretHit {
  kind: string;
  secret: string;
}

interface Span extends SecretHit {
  start: number;
  end: number;
}

/** Every secret in `raw` (in order, none overlapping), read as the value of `field` when given. */
export function scanText(field: string | undefined, raw: string): SecretHit[] {
  // Most texts of a workflow are short (types, labels, numbers): too short for any token, still a password.
  if (raw.length < SHORTEST_TOKEN) return field === undefined ? [] : fieldHits(field, raw);
  const expression = raw.startsWith("=");
  // {{ and }} become line breaks: a reference inside reads as code of its own, never as the rest of a
  // token, a URL or a quoted value around it.
  let text = expression ? raw.slice(1).replace(/\{\{|\}\}/g, "\n") : raw;
  if (text.includes(";base64,")) text = text.replace(DATA_URI, " ");
  if (text.trim() === "") return [];
  const spans: Span[] = [];
  const add = (kind: string, secret: string, start: number) => {
    const end = start + secret.length;
    if (spans.some((s) => start < s.end && s.start < end)) return;
    spans.push({ kind, secret, start, end });
  };

  for (const rule of rulesFor(text)) tokenHits(rule, text, add);
  if (text.includes("://")) urlHits(text, add);
  if (text.includes("=")) connectionStringHits(text, add);
  assignmentHits(text, add);
  if (spans.length === 0 && field !== undefined) return fieldHits(field, raw);
  return spans.sort((a, b) => a.start - b.start).map(({ kind, secret }) => ({ kind, secret }));
}

type Add = (kind: string, secret: string, start: number) => void;

const DATA_URI = /data:[\w.+/-]+;base64,[A-Za-z0-9+/=\s]+/g;
/** No rule but the field rules reports a secret in fewer characters ("Basic " + 8, "key-" + 32...). */
const SHORTEST_TOKEN = 12;

// ---- 1. token formats -------------------------------------------------------------------------------

const KEYWORDS = [...new Set(TOKEN_RULES.flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
const KEYWORD_SEARCH = new RegExp(KEYWORDS.map(escapeRegExp).join("|"), "gi");
/** keyword found -> the rules it enables, with those of every keyword inside it (found at the same place) */
const RULES_BY_KEYWORD = new Map(
  KEYWORDS.map((keyword) => [keyword, TOKEN_RULES.filter((r) => r.keywords.some((k) => keyword.includes(k)))] as const),
);

function rulesFor(text: string): readonly TokenRule[] {
  KEYWORD_SEARCH.lastIndex = 0;
  let match = KEYWORD_SEARCH.exec(text);
  if (!match) return [];
  const found = new Set<TokenRule>();
  for (; match; match = KEYWORD_SEARCH.exec(text)) {
    for (const r of RULES_BY_KEYWORD.get(match[0].toLowerCase())!) found.add(r);
    KEYWORD_SEARCH.lastIndex = match.index + 1;
  }
  // In the rules' order: the first rule that matches some characters names them.
  return TOKEN_RULES.filter((r) => found.has(r));
}

function tokenHits(rule: TokenRule, text: string, add: Add): void {
  rule.pattern.lastIndex = 0;
  for (const match of text.matchAll(rule.pattern)) {
    const secret = match[rule.group ?? 0];
    if (!secret) continue;
    if (isPlaceholderText(secret) || shannonEntropy(secret) < (rule.entropy ?? 0) || !(rule.accept?.(secret) ?? true)) continue;
    add(rule.kind, secret, match.index + match[0].indexOf(secret));
  }
}

// ---- 2. URLs ----------------------------------------------------------------------------------------

// scheme://user:password@host, and scheme://token@host (Sentry DSNs, git remotes with a token).
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:/@'"`<>]*)(?::([^\s@/'"`<>]+))?@([\w.-]+)/gi;
// ?name=value and &name=value, where name reads like a secret.
const QUERY_PARAMETER = /[?&;]([\w.[\]-]{1,60})=([^&#\s"'`<>]+)/g;
const SECRET_PARAMETER = /key|token|secret|passw(?:or)?d|pwd|sig(?:nature)?$|^sig|^auth$|credential/i;
const NOT_SECRET_PARAMETER = /(?:page|next|continuation|sync|resume)[-_]?token|token[-_]?type|key[-_]?(?:id|name|type|word)s?$|(?:sort|order|partition|group|idempotency|cache|primary|foreign|public)[-_]?key|^api[-_]?version$|signature[-_]?(?:method|version)|^code[-_]?challenge/i;

function urlHits(text: string, add: Add): void {
  for (const match of text.includes("@") ? text.matchAll(URL_USERINFO) : []) {
    const [, user = "", password, host = ""] = match;
    const at = match.index + match[0].indexOf("//") + 2;
    if (password !== undefined) {
      if (password.length >= 4 && !isPlaceholder(password) && !/^[$%{]/.test(password)) add("connection-string-password", password, at + user.length + 1);
    } else if (looksRandom(user)) {
      add(/sentry\./i.test(host) ? "sentry-dsn" : "url-user-token", user, at);
    }
  }
  if (!text.includes("?")) return;
  for (const match of text.matchAll(QUERY_PARAMETER)) {
    const [, name = "", value = ""] = match;
    if (!SECRET_PARAMETER.test(name) || NOT_SECRET_PARAMETER.test(name)) continue;
    const decoded = safeDecode(value);
    const secret = PASSWORD_FIELD.test(name) ? decoded.length >= 4 && !isPlaceholder(decoded) : looksGenerated(decoded, 12, 3);
    if (secret) add("url-query-secret", value, match.index + match[0].length - value.length);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// ---- 3. Key=value; connection strings (ADO.NET, ODBC, JDBC properties) ----------------------------------

// After a `;` or at a line's start, a value up to the next `;` (not `password = getPassword();` in code).
const CONNECTION_PASSWORD = /(?:^|;)[ \t]*(?:Password|Pwd)[ \t]*=[ \t]*([^;'"\s()]+)(?=;|$|["'\s])/gim;

function connectionStringHits(text: string, add: Add): void {
  if (!text.includes(";")) return;
  for (const match of text.matchAll(CONNECTION_PASSWORD)) {
    const password = match[1]!;
    if (password.length >= 4 && !isPlaceholder(password) && !/^[$%{]/.test(password)) {
      add("connection-string-password", password, match.index + match[0].length - password.length);
    }
  }
}

// ---- 4. assignments in code and JSON --------------------------------------------------------------------

// gitleaks generic-api-key's keywords, found in a name: the scanner looks at what follows that name only
// where one occurs, so long code without them costs one search.
const ASSIGNMENT_KEYWORD = /access|auth|api|credential|creds|key|passw|pwd|secret|token|signature|bearer/gi;
const NAME_CHAR = /[\w$.-]/;
// After the name, up to three words as in prose ("API key for staging: ..."; gitleaks allows 20
// characters there too), then = => := ??= ||= , or a `:` right after it (a key, not a ternary's
// `a ? 'b' : 'c'`), then a quoted value (code, JSON, YAML) or a bare one (shell, .env). A name followed
// by `,` (setHeader("X-Api-Key", "...")) takes generated-looking values only. A bare value ends its line
// (or meets a quote or a comment): `x = someIdentifier;` in code is no value. (The lookahead takes the
// bare value whole, with no backtracking into it; `=` only as base64 padding, so `a=b=c=...` stops early.)
const ASSIGNED_VALUE = /["'`]?\]?(?:[ \t]+[\w.-]{1,20}){0,3}?(?:[ \t]*(=>|:=|\?\?=|\|\|=|=|,)|:)[ \t]*(?:(["'`])([^"'`\n\\]{4,400})\2|(?=([A-Za-z0-9+/_~-]{16,400}={0,2}))\4(?=[ \t]*(?:[\r\n#"'`]|$)))/y;
const SECRET_NAME = /access|auth|(?:^|[^a-z])api|api(?:$|[^a-z])|credential|creds|key|passw(?:or)?d|pwd|passphrase|secret|token|signature|bearer/i;
const PASSWORD_NAME = /^(?:password|passwd|pwd|pass|passphrase)$|(?:[-_.]|[a-z])(?:password|passwd|pwd|passphrase)$|^(?:db|user|admin|smtp|mail|root|basic|auth)[-_]?pass$/i;
// Names that hold the key's neighbours, not the key (gitleaks' generic-api-key allowlist, plus what n8n
// parameters and common SDKs call them).
const NOT_SECRET_NAME = new RegExp(
  [
    // what a key or token is called, where it lives, how long it is
    String.raw`(?:credentials?|secret|token|key)[-_.]?(?:ids?|names?|types?|urls?|uris?|files?|paths?|fields?|labels?|length|size|count|endpoint|location|header|prefix|placeholder|hint|format|expir\w*|ttl|version|vault\w*)$`,
    String.raw`[-_.](?:query[-_.]?)?(?:param(?:eter)?|header|env[-_.]?(?:var[-_.]?)?name|var(?:iable)?[-_.]?name)s?$`,
    String.raw`key[-_.]?(?:alias|board|code|frame|id|length|mesh|name|pair|press(?:ed)?|ring|selector|size|stone|storetype|word|up|down|left|right|field|path|column|prop|by|format|type)|keys$|keying|monkey|turkey`,
    // keys of data, not of access
    String.raw`(?:bucket|foreign|hot|idx|natural|primary|schema|sequence|sort|partition|cache|idempotency|dedup\w*|unique|lookup|object|row|group|order|merge|join|match|composite|hash|range|redis|s3|storage|file|attribute|field|property|column|translation|i18n|react|map)[-_.]?key`,
    // keys made to be public
    String.raw`pub(?:lic)?[-_.]?(?:key|token)|publishable|site[-_.]?key|search[-_.]?(?:only[-_.]?)?(?:api[-_.]?)?key|csrf[-_.]?token`,
    // tokens that are cursors or counts
    String.raw`(?:page|next|continuation|cursor|sync|resume)[-_.]?tokens?$|token[-_.]?(?:type|usage|count|limit|s)$|max[-_.]?tokens?|tokens?[-_.]?(?:in|out)`,
    // hashes and checksums
    String.raw`hash|checksum|digest|sha(?:1|224|256|384|512)|sha$|md5|etag|integrity|fingerprint`,
    // the settings around a password or an auth scheme
    String.raw`password[-_.]?(?:field|label|placeholder|policy|length|min|max|reset|rules?|hint|prompt|regex|pattern|input|confirm|strength|changed|expir\w*|required|mode)|(?:show|reset|forgot|confirm|change|new|require|min|max)[-_.]?password`,
    String.raw`auth[-_.]?(?:type|mode|method|scheme|url|uri|header|required|enabled|flow|provider|strategy|domain)|authentication|authoriz\w*[-_.]?(?:url|uri)|oauth[-_.]?(?:version|url)|author(?!i[sz]ation)`,
    String.raw`access(?:ibility|or|[-_.]?id|[-_.]?type|[-_.]?level|[-_.]?mode)|random[-_.]?access|api[-_.]?(?:id|name|version|url|uri|base|host|path|endpoint)|withCredentials`,
  ].join("|"),
  "i",
);
// A comment on the line (or the one before) saying the value is a hash or checksum, not a credential.
const HASH_COMMENT = /(?:\/\/|#|\/\*|--|\*).*\b(?:sha-?(?:1|224|256|384|512)|md5|checksum|hash(?:es)?|digest|commit|crc32|integrity|etag)\b/i;

function assignmentHits(text: string, add: Add): void {
  ASSIGNMENT_KEYWORD.lastIndex = 0;
  for (let keyword = ASSIGNMENT_KEYWORD.exec(text); keyword; keyword = ASSIGNMENT_KEYWORD.exec(text)) {
    let start = keyword.index;
    let end = start + keyword[0].length;
    while (start > 0 && NAME_CHAR.test(text[start - 1]!)) start--;
    while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
    ASSIGNMENT_KEYWORD.lastIndex = end;
    if (!/[A-Za-z_$]/.test(text[start]!)) continue;
    ASSIGNED_VALUE.lastIndex = end;
    const match = ASSIGNED_VALUE.exec(text);
    // `f(secret, XXH3_accumulate)`: a name in an argument list, then an identifier, is no assignment.
    if (!match || (match[1] === "," && match[3] === undefined)) continue;
    const name = text.slice(start, end);
    const value = match[3] ?? match[4]!;
    const at = end + match[0].length - value.length - (match[3] === undefined ? 0 : 1);
    // `password = "Welcome" + id`: the quoted part is a fragment of a value built at run time.
    const built = match[3] !== undefined && /^[ \t]*\+/.test(text.slice(at + value.length + 1));
    const kind = assignedSecret(name, value, text, at, match[3] !== undefined && match[1] !== "," && !built);
    if (kind) add(kind, value, at);
  }
}

/** `typed`: a quoted value assigned to the name, which may be a password someone typed. */
function assignedSecret(name: string, value: string, text: string, at: number, typed: boolean): string | undefined {
  if (!SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name) || isPlaceholder(value) || PUBLIC_KEY.test(value)) return undefined;
  // `keyWrapper: "_keyWrapper_13x96_1"`: a value built from its own name is an identifier.
  if (value.toLowerCase().includes(name.replace(/^.*[.]/, "").toLowerCase())) return undefined;
  if (typed && PASSWORD_NAME.test(name) && isTypedPassword(value)) return "password-assignment";
  if (!looksRandom(value.trim()) || hashCommentNear(text, at)) return undefined;
  return "generic-secret";
}

/** A password someone typed: one word of 4+ characters, not an expression or a variable. */
function isTypedPassword(value: string): boolean {
  return value.length >= 4 && !/\s/.test(value) && !/^[$%{(@]|^process\.env/.test(value) && !PLACEHOLDER.test(value);
}

function hashCommentNear(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf("\n", at - 1);
  const previousStart = lineStart <= 0 ? 0 : text.lastIndexOf("\n", lineStart - 1) + 1;
  const lineEnd = text.indexOf("\n", at);
  return HASH_COMMENT.test(text.slice(previousStart, lineEnd === -1 ? undefined : lineEnd));
}

// ---- 5. the field a value is stored under ----------------------------------------------------------------

/** Field names whose high-entropy values are secrets even without a known format. */
const SECRET_FIELD = /secret|token|passw(?:or)?d|passwd|pwd|^pass$|authori[sz]ation|signature|credential|key$/i;
/** Field (and query parameter) names whose every literal value is a password. */
const PASSWORD_FIELD = /^(?:password|passwd|pwd|pass)$|[-_. ](?:password|passwd|pwd)$/i;

function fieldHits(field: string, raw: string): SecretHit[] {
  if (!SECRET_FIELD.test(field) || NOT_SECRET_NAME.test(field)) return [];
  const candidate = (raw.startsWith("=") ? literalPart(raw) : raw).trim();
  if (candidate === "" || PUBLIC_KEY.test(candidate)) return [];
  // `={{ $json.name }}@2024`: a password built at run time; the literal around the expression is a
  // fragment of it, a password only when it looks generated itself.
  const built = raw.startsWith("=") && raw.includes("{{");
  if (PASSWORD_FIELD.test(field) && !built && candidate.length >= 4 && !isPlaceholder(candidate)) return [{ kind: "password-field", secret: candidate }];
  if (looksRandom(candidate)) return [{ kind: "high-entropy-secret", secret: candidate }];
  return [];
}

/** What a value is outside n8n expressions: the literal text around {{ ... }}, exported as written. */
function literalPart(value: string): string {
  return value.slice(1).replace(/\{\{[\s\S]*?\}\}/g, " ");
}

// ---- what no rule reports ------------------------------------------------------------------------------

const PLACEHOLDER =
  /^(?:\*+|x+|\.+|#+|0+|\$\{[^}]*\}|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]*>|\[[^\]]*\]|%[\w-]+%|\$[A-Z_][A-Z0-9_]*|changeme|change[-_ ]?me|password\d*|passw(?:or)?d|pass|pwd|pw|secret|token|none|null|undefined|true|false|string|number|boolean|text|required|optional|hidden|redacted|todo|tbd|test|dummy|sample|example|placeholder|your[-_ ]?\w*)$/i;
// ACCESSKEY, SECRET_KEY, AWS_S3_DISABLE_AUTH, watsonx_ai_password: the name of a value (an
// environment variable's, a field's), written where the value goes.
const NAME_AS_VALUE = /^[A-Z_]*(?:KEY|SECRET|TOKEN|PASS|PASSWORD|PWD)[A-Z_]*$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:_[a-z0-9]+)+$/;
const PLACEHOLDER_INSIDE = /x{4,}|\*{3,}|(?:^|[^a-z])your[-_ ]?|example|placeholder|redacted|changeme|replace[-_ ]?(?:me|with|this)|dummy|fake[-_]|insert[-_ ]|<[^>]*>|\$\{|\{\{/i;

/** Keys made to be published: Stripe publishable keys, Mapbox public tokens, PostHog project keys. */
const PUBLIC_KEY = /^pk_(?:live|test)_|^pk\.eyJ|^phc_/;

/** Text standing where a value goes: `<your-api-key>`, `xxxx`, `${API_KEY}` (token formats check this). */
function isPlaceholderText(value: string): boolean {
  return PLACEHOLDER.test(value) || PLACEHOLDER_INSIDE.test(value);
}

/** What rules without a known format never report: placeholders and names of values. */
function isPlaceholder(value: string): boolean {
  return isPlaceholderText(value) || NAME_AS_VALUE.test(value);
}

// With a word in front too: `test-<uuid>`, `session_<uuid>` are ids (n8n's chat memory session keys).
const UUID = /^(?:[a-z]{2,20}[-_])?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MONGO_ID = /^[0-9a-f]{24}$/i;
// No "." either: file names, host names and paths have dots; generated keys rarely do (JWTs have
// their own rule).
const TOKEN_CHARS = /^[A-Za-z0-9+/=_~-]+$/;

/** A token-like string with enough entropy to be generated rather than typed (uuids and ids are not). */
function looksRandom(value: string): boolean {
  return looksGenerated(value, 16, 3.5);
}

function looksGenerated(value: string, minLength: number, floor: number): boolean {
  if (value.length < minLength || value.length > 512 || !TOKEN_CHARS.test(value)) return false;
  if (UUID.test(value) || MONGO_ID.test(value) || isPlaceholder(value) || isMadeOfWords(value)) return false;
  // Hex has 4 bits per character at most, so its threshold is lower (as in truffleHog).
  const threshold = /^[0-9a-fA-F]+$/.test(value) ? Math.min(floor, 3) : floor;
  return mixesLettersAndDigits(value) && shannonEntropy(value) >= threshold;
}

/**
 * An identifier rather than a key: most of it is words (`calendlyOAuth2Api`, `s3ApiRequestREST`,
 * `order_total_2024`). A random base62 string has few runs of letters of one case.
 */
function isMadeOfWords(value: string): boolean {
  // Thresholds measured on random base62: about 3% of 16-character keys and under 1% of 24+ read as words.
  const { words, wordsOrAcronyms } = wordShares(value);
  return words >= 0.6 || wordsOrAcronyms >= 0.85;
}

/** The part of a value made of words (`Sheets`, `refresh`), and of words or acronyms (`AWS`). */
export function wordShares(value: string): { words: number; wordsOrAcronyms: number } {
  return { words: share(WORD, value), wordsOrAcronyms: share(WORD_OR_ACRONYM, value) };
}

const WORD = /[A-Z]?[a-z]{3,}/g;
const WORD_OR_ACRONYM = /[A-Z][a-z]{2,}|[a-z]{3,}|[A-Z]{3,}(?![a-z])/g;

/** The part of the value the pattern's matches cover. */
function share(pattern: RegExp, value: string): number {
  return (value.match(pattern) ?? []).reduce((n, match) => n + match.length, 0) / value.length;
}

/** Bits per character: what the entropy floors of the token rules (rules.ts) and looksRandom measure. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
