// The scanner's test corpus. Secrets: realistic values of each rule family, written the way n8n users
// paste them (a Code node's source, a URL, a header, a JSON body), generated at run time from a seed so
// no real-looking key is committed (prefixes are split for the same reason). Look-alikes: what
// workflows are full of and must never be reported.
import { ALNUM, BASE64, generator, HEX, UPPER_DIGITS } from "./fake-secrets.ts";

export interface SecretSample {
  family: string;
  kind: string;
  /** the text as it stands in the workflow */
  text: string;
  /** the field the text is stored under, when that matters */
  field?: string;
  /** the part reported (masked) */
  secret: string;
}

const DIGITS = "0123456789";
const URL_SAFE = `${ALNUM}_-`;

export function secretSamples(seed = 16): SecretSample[] {
  const r = generator(seed);
  const uuid = () => `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`;
  const password = `${r(ALNUM, 9)}!7`;
  const samples: SecretSample[] = [];
  const add = (family: string, kind: string, secret: string, text: (secret: string) => string, field?: string) =>
    samples.push({ family, kind, secret, text: text(secret), ...(field ? { field } : {}) });

  // Cloud providers
  add("cloud", "aws-access-key", `AK${"IA"}${r(UPPER_DIGITS, 16)}`, (s) => `import boto3\ns3 = boto3.client("s3", aws_access_key_id="${s}")`);
  add("cloud", "aws-secret-key", r(BASE64, 40), (s) => `AWS_SECRET_ACCESS_KEY="${s}"`);
  add("cloud", "google-api-key", `AI${"za"}${r(URL_SAFE, 35)}`, (s) => `=https://maps.googleapis.com/maps/api/geocode/json?address={{ encodeURIComponent($json.address) }}&key=${s}`);
  add("cloud", "azure-storage-key", `${r(BASE64, 86)}==`, (s) => `DefaultEndpointsProtocol=https;AccountName=acmeinvoices;AccountKey=${s};EndpointSuffix=core.windows.net`);
  add("cloud", "azure-ad-client-secret", `${r(ALNUM, 3)}8Q~${r(`${ALNUM}_~.`, 34)}`, (s) => `const body = new URLSearchParams({ grant_type: "client_credentials", client_id: "${uuid()}", client_secret: "${s}" });`);
  add("cloud", "digitalocean-token", `do${"p"}_v1_${r(HEX, 64)}`, (s) => `curl -X GET -H "Authorization: Bearer ${s}" https://api.digitalocean.com/v2/droplets`);

  // Source control and registries
  add("vcs", "github-token", `gh${"p"}_${r(ALNUM, 36)}`, (s) => `const octokit = new Octokit({ auth: '${s}' });`);
  add("vcs", "github-token", `github${"_pat"}_${r(ALNUM, 22)}_${r(ALNUM, 59)}`, (s) => `git clone https://x-access-token:${s}@github.com/acme/app.git`);
  add("vcs", "gitlab-token", `gl${"pat"}-${r(URL_SAFE, 20)}`, (s) => `PRIVATE-TOKEN: ${s}`);
  add("vcs", "npm-token", `np${"m"}_${r(ALNUM, 36)}`, (s) => `//registry.npmjs.org/:_authToken=${s}`);

  // Chat: tokens and webhook URLs (a webhook URL is the credential)
  add("chat", "slack-token", `xo${"xb"}-${r(DIGITS, 12)}-${r(DIGITS, 13)}-${r(ALNUM, 24)}`, (s) => `await fetch("https://slack.com/api/chat.postMessage", { headers: { Authorization: "Bearer ${s}" } });`);
  add("chat", "slack-webhook", `T${r(UPPER_DIGITS, 10)}/B${r(UPPER_DIGITS, 10)}/${r(ALNUM, 24)}`, (s) => `https://hooks.slack.com/services/${s}`);
  add("chat", "discord-webhook", r(URL_SAFE, 68), (s) => `https://discord.com/api/webhooks/${r(DIGITS, 19)}/${s}`);
  add("chat", "teams-webhook", `${uuid()}@${uuid()}/IncomingWebhook/${r(HEX, 32)}/${uuid()}`, (s) => `https://acme.webhook.office.com/webhookb2/${s}`);
  add("chat", "telegram-bot-token", `${r(DIGITS, 10)}:AA${r(URL_SAFE, 33)}`, (s) => `https://api.telegram.org/bot${s}/sendMessage`);
  add("chat", "telegram-bot-token", `${r(DIGITS, 9)}:AA${r(URL_SAFE, 33)}`, (s) => `TELEGRAM_TOKEN = "${s}"`);

  // Payment and commerce
  add("payment", "stripe-key", `sk${"_live"}_${r(ALNUM, 24)}`, (s) => `const stripe = require('stripe')('${s}');`);
  add("payment", "stripe-key", `rk${"_live"}_${r(ALNUM, 99)}`, (s) => `stripe.api_key = "${s}"`);
  add("payment", "stripe-webhook-secret", `whs${"ec"}_${r(ALNUM, 32)}`, (s) => `const event = stripe.webhooks.constructEvent(body, sig, '${s}');`);
  add("payment", "square-token", `sq0${"atp"}-${r(URL_SAFE, 22)}`, (s) => `Square-Token: ${s}`);
  add("payment", "shopify-token", `shp${"at"}_${r(HEX, 32)}`, (s) => `X-Shopify-Access-Token: ${s}`);

  // Email and SMS providers
  add("email-sms", "sendgrid-key", `S${"G"}.${r(URL_SAFE, 22)}.${r(URL_SAFE, 43)}`, (s) => `sgMail.setApiKey("${s}");`);
  add("email-sms", "mailgun-key", `ke${"y"}-${r(HEX, 32)}`, (s) => `auth: { username: "api", password: "${s}" }`);
  add("email-sms", "twilio-api-key", `S${"K"}${r(HEX, 32)}`, (s) => `const client = twilio("${s}", process.env.TWILIO_SECRET, { accountSid })`);
  add("email-sms", "mailchimp-key", `${r(HEX, 32)}-us21`, (s) => `const mailchimp = { apiKey: "${s}", server: "us21" };`);
  add("email-sms", "brevo-key", `xkey${"sib"}-${r(HEX, 64)}-${r(ALNUM, 16)}`, (s) => `{ "api-key": "${s}" }`);

  // AI providers
  add("ai", "openai-key", `sk${"-proj"}-${r(URL_SAFE, 48)}`, (s) => `const openai = new OpenAI({ apiKey: "${s}" });`);
  add("ai", "anthropic-key", `sk${"-ant"}-api03-${r(URL_SAFE, 93)}AA`, (s) => `client = anthropic.Anthropic(api_key="${s}")`);
  add("ai", "huggingface-token", `h${"f"}_${r(ALNUM, 34)}`, (s) => `headers = {"Authorization": f"Bearer ${s}"}`);
  add("ai", "groq-key", `gs${"k"}_${r(ALNUM, 52)}`, (s) => `GROQ_API_KEY=${s}`);
  add("ai", "perplexity-key", `ppl${"x"}-${r(ALNUM, 48)}`, (s) => `const key = '${s}';`);

  // JWTs (Supabase service keys, session tokens)
  const b64url = (value: string) => Buffer.from(value).toString("base64url");
  const jwt = () => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"role":"service_role","iss":"supabase","sub":"${r(ALNUM, 12)}"}`)}.${r(URL_SAFE, 43)}`;
  add("jwt", "jwt", jwt(), (s) => `const supabase = createClient("https://abc.supabase.co", "${s}");`);
  add("jwt", "jwt", jwt(), (s) => `=Bearer ${s}`);

  // Private keys
  add("private-key", "private-key", `-----BEGIN ${"RSA PRIVATE"} KEY-----\n${r(BASE64, 64)}\n${r(BASE64, 64)}\n-----END ${"RSA PRIVATE"} KEY-----`, (s) => s);
  // A service account's JSON pasted into a Code node: the key's line breaks are written as \n.
  add("private-key", "private-key", `-----BEGIN ${"PRIVATE"} KEY-----\\n${r(BASE64, 64)}\\n${r(BASE64, 40)}\\n-----END ${"PRIVATE"} KEY-----`, (s) => `const account = {"type": "service_account", "project_id": "acme-etl", "private_key": "${s}\\n"};`);

  // Connection strings
  add("connection-string", "connection-string-password", password, (s) => `postgresql://app:${s}@db.internal:5432/app`);
  add("connection-string", "connection-string-password", `${r(ALNUM, 14)}`, (s) => `mongodb+srv://svc-etl:${s}@cluster0.ab1cd.mongodb.net/crm?retryWrites=true`);
  add("connection-string", "connection-string-password", `${r(ALNUM, 16)}`, (s) => `redis://:${s}@cache.internal:6379/0`);
  add("connection-string", "connection-string-password", password, (s) => `Server=tcp:acme.database.windows.net,1433;Database=crm;User ID=app;Password=${s};Encrypt=true;`);

  // Credentials in URLs
  add("url", "url-query-secret", r(ALNUM, 32), (s) => `https://api.openweathermap.org/data/2.5/weather?q=Berlin&appid=x&api_key=${s}`);
  add("url", "url-query-secret", r(ALNUM, 40), (s) => `=https://graph.example.com/v1/me?fields=id,name&access_token=${s}&since={{ $json.since }}`);
  add("url", "url-query-secret", `${r(ALNUM, 43)}%3D`, (s) => `https://prod-12.westeurope.logic.azure.com:443/workflows/${r(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${s}`);
  add("url", "sentry-dsn", r(HEX, 32), (s) => `Sentry.init({ dsn: "https://${s}@o${r(DIGITS, 6)}.ingest.sentry.io/${r(DIGITS, 7)}" });`);
  add("url", "url-user-token", r(ALNUM, 40), (s) => `git push https://${s}@git.internal.example.com/ops/infra.git`);

  // Secret-looking assignments (gitleaks generic-api-key: keyword in the name + entropy)
  add("generic", "generic-secret", r(ALNUM, 32), (s) => `// call the partner API\nconst apiKey = "${s}";\nreturn [{ json: { apiKey } }];`);
  add("generic", "generic-secret", r(ALNUM, 40), (s) => `import requests\nAPI_TOKEN = '${s}'\nrequests.get(url, headers={"X-Token": API_TOKEN})`);
  add("generic", "generic-secret", r(HEX, 40), (s) => `export CLIENT_SECRET=${s}`);
  add("generic", "generic-secret", r(ALNUM, 28), (s) => `$http.setRequestHeader("X-Api-Key", "${s}")`);
  add("generic", "password-assignment", password, (s) => `={ "username": "{{ $json.user }}", "password": "${s}" }`);
  add("generic", "password-assignment", password, (s) => `const smtpPassword = '${s}';`);

  // The field the value is stored under (header, query and body lists, options)
  add("field", "high-entropy-secret", r(ALNUM, 32), (s) => s, "X-API-Key");
  add("field", "high-entropy-secret", r(HEX, 40), (s) => s, "client_secret");
  add("field", "password-field", password, (s) => s, "password");
  add("field", "password-field", password, (s) => s, "db_password");
  return samples;
}

/**
 * Values and code workflows are full of: ids, hashes, expressions, references, placeholders, prose,
 * field names and the ordinary parameters of common nodes. Each is [field, text].
 */
export function lookAlikes(seed = 61): Array<[string, string]> {
  const r = generator(seed);
  const uuid = () => `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`;
  const values: Array<[string, string]> = [];
  const add = (field: string, ...texts: string[]) => texts.forEach((text) => values.push([field, text]));

  for (let i = 0; i < 12; i++) {
    add("id", uuid());
    add("webhookId", uuid());
    add("apiKey", uuid()); // uuids under a key-like name too
    add("versionId", uuid());
    add("_id", r(HEX, 24)); // Mongo ObjectIds
    add("documentKey", r(HEX, 24));
    add("sha", r(HEX, 40)); // commit SHAs
    add("ref", `refs/heads/main@${r(HEX, 40)}`);
  }
  add("path", uuid(), `orders-${r(ALNUM, 6).toLowerCase()}`, `${uuid()}/:id`);
  add("url", `https://n8n.example.com/webhook/${uuid()}`, `https://n8n.example.com/webhook-test/${uuid()}/callback`, `https://n8n.example.com/form/${uuid()}`);
  add("jsCode",
    `// sha256 of the expected release tarball\nconst expectedKey = "${r(HEX, 64)}";\nif (digest !== expectedKey) throw new Error("bad download");`,
    `const checksum = "${r(HEX, 64)}"; // sha256\nconst md5 = "${r(HEX, 32)}";`,
    `# commit the deploy was built from\nDEPLOY_TOKEN_REF = "${r(HEX, 40)}"`,
    `const fileHash = "${r(HEX, 64)}";`,
    `const etag = '"${r(HEX, 32)}"';`,
    `const integrity = "sha512-${r(BASE64, 86)}==";`,
  );
  add("image", `data:image/png;base64,iVBORw0KGgo${r(BASE64, 2000)}`, `<img src="data:image/jpeg;base64,/9j/4AAQSkZJRg${r(BASE64, 800)}=" />`);
  add("data", `data:application/pdf;base64,JVBERi0xLjQK${r(BASE64, 500)}`);
  add("value",
    "={{ $credentials.token }}",
    "={{ $vars.STRIPE_SECRET_KEY }}",
    "={{ $env.OPENAI_API_KEY }}",
    "=Bearer {{ $env.API_TOKEN }}",
    "=Bearer {{ $credentials.accessToken }}",
    "={{ $('Get token').item.json.access_token }}",
    "={{ $json.headers['x-api-key'] }}",
    "={{ $json.password }}",
    `={ "username": "{{ $json.user }}", "password": "{{ $json.password }}" }`,
    `={{ JSON.stringify({ apiKey: $vars.apiKey, token: $credentials.token }) }}`,
    "=https://api.example.com/v1/items?api_key={{ $vars.apiKey }}&page={{ $json.page }}",
    "=https://api.telegram.org/bot{{ $credentials.botToken }}/sendMessage",
    "=postgresql://app:{{ $vars.DB_PASSWORD }}@db.internal:5432/app",
  );
  add("apiKey", "<your-api-key>", "YOUR_API_KEY", "your-api-key-here", "xxxxxxxxxxxxxxxxxxxxxxxx", "changeme", "${API_KEY}", "{{API_KEY}}", "<API_KEY>", "REPLACE_ME", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "********", "%API_KEY%");
  add("password", "***", "********", "changeme", "${DB_PASSWORD}", "<password>", "={{ $json.password }}", "password", "");
  add("jsCode",
    `const apiKey = $env.OPENAI_API_KEY;\nconst token = await this.getCredentials('httpHeaderAuth');`,
    `const key = String(record.id ?? record.email).trim().toLowerCase();`,
    `const password = items[0].json.password;\nif (!password) throw new Error('no password');`,
    `const apiKey = "<your-api-key>"; // set in credentials instead`,
    `const API_KEY = process.env.API_KEY || "changeme";`,
    `headers['Authorization'] = \`Bearer \${token}\`;`,
    `const sortKey = "createdAt_desc_2024";\nconst partitionKey = "tenant_${r(ALNUM, 12)}";`,
    `const idempotencyKey = "${uuid()}";\nconst cacheKey = "user-profile-v2-${r(HEX, 8)}";`,
    `const tokenType = "Bearer";\nconst maxTokens = 4096;\nconst authType = "oauth2";`,
    `const publicKey = "pk_live_${r(ALNUM, 24)}";`,
    `const stripe = Stripe({ publishableKey: "pk_live_${r(ALNUM, 24)}" });`,
    `grecaptcha.render("form", { sitekey: "6Lc${r(URL_SAFE, 37)}" });`,
    `const client = algoliasearch("${r(UPPER_DIGITS, 10)}", { searchOnlyApiKey: "${r(HEX, 32)}" });`,
    `mapboxgl.accessToken = "pk.eyJ1Ijoi${r(ALNUM, 40)}.${r(URL_SAFE, 22)}";`,
    `for (const key of Object.keys(item.json)) { out[key.toLowerCase()] = item.json[key]; }`,
    `if (token === undefined) { return []; }`,
    `const passwordField = "password";\nconst passwordMinLength = "12";`,
    `return items.map(i => ({ json: { ...i.json, keyName: "primary-${r(ALNUM, 10)}" } }));`,
    `const schema = { "password": "string", "apiKey": "string", "token": "string" };`,
    `// Authentication is handled by the credential, see README\nreturn $input.all();`,
    // shapes found scanning n8n's own node code (54 MB): identifiers, names of values, regexes
    `return authentication === 'apiKey' ? 'calendlyApi' : 'calendlyOAuth2Api';`,
    `exports.s3ApiRequestREST = s3ApiRequestREST;\nexports.AddApiKeysTable1724951148974 = AddApiKeysTable1724951148974;`,
    `acc = XXH3_hashLong(acc, data, secret, XXH3_accumulate_512, XXH3_scrambleAcc);`,
    `const SESSION_TOKEN_QUERY_PARAM = "X-Amz-S3session-token";\nconst AUTH_ENV_NAME = "AWS_S3_DISABLE_EXPRESS_SESSION_AUTH";`,
    `const fields = { watsonxAIUsername: "watsonx_ai_username", watsonxAIPassword: "watsonx_ai_password" };`,
    `const styles = { keyWrapper: "_keyWrapper_13x96_1" };`,
    "const pattern = /-----BEGIN OPENSSH PRIVATE KEY-----[\\s\\S]*?-----END OPENSSH PRIVATE KEY-----/;",
    `const s3 = 's3://ACCESSKEY:SECRETKEY@bucket/path';`,
    `const login = { username: 'nodeqa', password: 'fake-password' };`,
  );
  add("pythonCode",
    `import os\napi_key = os.environ["API_KEY"]\ntoken = _input.first().json["token"]`,
    `password = None\nif not password:\n    raise ValueError("missing password")`,
    `for key, value in item.json.items():\n    print(key, value)`,
  );
  add("text",
    "Bearer authentication is required for this endpoint.",
    "Basic information about the order",
    "Use the API key from the vault; never paste it here.",
    "The token expires after 3600 seconds.",
    "Reset your password at https://example.com/reset",
    "sk-learn-documentation-and-examples",
    "See https://docs.n8n.io/credentials/ for how to store secrets.",
    "Password: see 1Password entry 'Billing DB'",
    "api.example.com:443",
    "uploads/2024/report_final_v2.pdf",
    `Order ${r(DIGITS, 8)} shipped to ${r(ALNUM, 8)}@example.com`,
    "Ticket JIRA-4512: rotate the keys next sprint",
    "2025-10-03T12:00:00.000Z",
    "+49 30 1234567",
    "DE89370400440532013000",
    "Accept: application/json",
    "Content-Type: application/x-www-form-urlencoded",
    "en-US,en;q=0.9",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  );
  add("url",
    "https://api.example.com/v1/orders?limit=100&page_token=eyJvZmZzZXQiOjEwMH0&sort=created",
    `https://api.example.com/v1/orders?nextPageToken=${r(ALNUM, 32)}`,
    `https://api.example.com/v2/items?key_id=${r(ALNUM, 20)}&token_type=bearer`,
    "https://api.example.com/v1/search?q=password+reset&limit=10",
    "https://oauth.example.com/authorize?response_type=code&client_id=abc&code_challenge_method=S256",
    `https://accounts.example.com/o/oauth2/auth?code_challenge=${r(URL_SAFE, 43)}`,
    "https://user@example.com/path",
    "https://api.github.com/repos/acme/app/commits?sha=main",
    `https://api.github.com/repos/acme/app/git/commits/${r(HEX, 40)}`,
    `https://cdn.example.com/assets/app.${r(HEX, 20)}.js`,
    "https://hooks.zapier.com/hooks/catch/123456/abcdef/",
    "mailto:ops@example.com?subject=alert",
    "postgresql://app:***@db.internal:5432/app",
    "postgresql://app@db.internal:5432/app",
    "uri://user:pass@example.com:123/one/two.three?q1=a1&q2=a2#body",
    "uri://foo:bar@example.com:1/path?query#fragment",
    "redis://cache.internal:6379/0",
    "https://discord.com/channels/123456789012345678/987654321098765432",
    "https://api.slack.com/apps/A0123456789/incoming-webhooks",
    "https://t.me/acme_support_bot",
    "https://api.telegram.org/file/bot/documents/file_1.pdf",
  );
  add("connectionString", "Server=tcp:acme.database.windows.net,1433;Database=crm;User ID=app;Password=${DB_PASSWORD};", "Server=db;Database=crm;Integrated Security=true;", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<key>;EndpointSuffix=core.windows.net");
  add("authentication", "genericCredentialType", "predefinedCredentialType", "headerAuth", "oAuth2", "none");
  add("genericAuthType", "httpHeaderAuth", "httpBasicAuth", "httpQueryAuth", "oAuth2Api");
  add("nodeCredentialType", "openAiApi", "slackOAuth2Api", "googleSheetsOAuth2Api", "stripeApi");
  add("sendHeaders", "true");
  add("jsonBody",
    `={{ JSON.stringify({ orders: $json, source: 'n8n', step: 3 }) }}`,
    `{ "model": "gpt-4o-mini", "max_tokens": 512, "temperature": 0.2 }`,
    `{ "event": "order.paid", "id": "evt_${r(ALNUM, 14)}" }`,
    `={ "token_type": "bearer", "expires_in": 3600, "scope": "read write" }`,
  );
  add("sortKey", "createdAt", "updated_at");
  add("fileKey", "uploads/2024/report_final_v2.pdf", "invoices/2025/10/INV-10023.pdf");
  add("documentId", r(ALNUM, 44), r(URL_SAFE, 44));
  add("spreadsheetId", r(URL_SAFE, 44));
  add("channelId", `C0${r(UPPER_DIGITS, 9)}`);
  add("chatId", `-100${r(DIGITS, 10)}`);
  add("messageId", `<${r(ALNUM, 20)}@mail.example.com>`);
  add("tableId", `tbl${r(ALNUM, 14)}`);
  add("baseId", `app${r(ALNUM, 14)}`);
  add("model", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "text-embedding-3-small");
  add("timezone", "Europe/Berlin");
  add("cronExpression", "0 */4 * * 1-5");
  add("color", "#ff6d5a");
  add("notes", "Keep the token in the Slack credential, not here.", "Runs hourly; see runbook https://wiki.example.com/ops/n8n");
  add("name", "Call API", "Get OAuth token", "Refresh access token", "Set password field", "HTTP Stripe 4");
  add("description", "Syncs orders from Stripe to HubSpot every hour. Keys live in n8n credentials.");
  add("tags", "billing", "secrets-rotation");
  // Placeholder keys with real prefixes, low-entropy mixed values and identifiers made of words, far
  // from any threshold (each blocked export-prod once a threshold was lowered in a mutation audit)...
  add("jsCode", `const stripe = require("stripe")("sk${"_live"}_${"0".repeat(24)}");`, `const gh = "gh${"p"}_${"0".repeat(36)}";`);
  add("Authorization", "Bearer aaaaaaaa11111111");
  add("jsCode", `const config = { apiKey: "aaaa1111bbbb2222", token: "refreshAccessToken2024" };`);
  add("X-Api-Key", "GoogleSheetsTrigger2024");
  // ...the two false findings measured on 485 community workflows: a password an expression builds,
  // and a chat memory's session key...
  add("password", "={{ $json.name.toLowerCase() }}@2024", "=Temp{{ $json.id }}!");
  add("jsonBody", `={{ JSON.stringify({ username: $json.user, password: "Welcome" + $json.id }) }}`);
  add("sessionKey", `test-${uuid()}`);
  add("jsCode", `const sessionKey = "test-${uuid()}";`);
  // ...and the near-misses, just on the no-finding side of each threshold.
  for (const miss of nearMisses()) add(miss.field, miss.text);
  return values;
}

/** The threshold of the scanner a near-miss sits next to. */
export type Threshold = "token-entropy" | "random-entropy" | "hex-entropy" | "words" | "words-or-acronyms";

export interface NearMiss {
  threshold: Threshold;
  /** the field the text is stored under */
  field: string;
  text: string;
  /** the part of the text the threshold is measured on */
  measured: string;
}

/**
 * Values real workflows hold, each just on the no-finding side of one threshold: placeholder keys with
 * real prefixes just under the token rules' entropy floor (3 bits per character), low-entropy mixed
 * values just under the generic floor (3.5; hex 3), identifiers just enough made of words (a 0.6 share
 * of words, or 0.85 of words and acronyms). Lowering a floor or narrowing the word exclusion reports them.
 */
export function nearMisses(): NearMiss[] {
  const misses: NearMiss[] = [];
  const add = (threshold: Threshold, field: string, measured: string, text: (value: string) => string = (value) => value) =>
    misses.push({ threshold, field, text: text(measured), measured });

  add("token-entropy", "jsCode", `sk${"_live"}_000000000000000012345678`, (v) => `const stripe = require("stripe")("${v}");`);
  add("token-entropy", "stripeKey", `sk${"_test"}_000000000000000123456789`);
  add("token-entropy", "Authorization", `gh${"p"}_123123123123123123abcabcabcabcabcabc`, (v) => `token ${v}`);
  add("token-entropy", "command", `gl${"pat"}-000000123412341234123412341234123412`, (v) => `GITLAB_TOKEN=${v}`);
  add("token-entropy", "Authorization", "1234abcd1234abcd1234", (v) => `Bearer ${v}`);

  add("random-entropy", "apiKey", "test1234prod2024");
  add("random-entropy", "jsCode", "testprodv21232025", (v) => `const apiKey = "${v}";`);
  add("random-entropy", "X-Api-Key", "user01123user5678");

  add("hex-entropy", "client_secret", "f00dc0ffeea1ba5e");
  add("hex-entropy", "jsCode", "c0ffeedeada1ba5e", (v) => `const webhookSecret = "${v}";`);

  add("words", "X-Api-Key", "weeklyReport2024Q3x9");
  add("words", "jsCode", "ordersSync2024Q3", (v) => `const headers = { token: "${v}" };`);

  add("words-or-acronyms", "token", "GCPBigQueryETLJob024");
  add("words-or-acronyms", "pythonCode", "AWSSQSLambdaETLJob024", (v) => `api_key = "${v}"`);
  return misses;
}
