// Token formats the scanner knows by their shape: prefixes, lengths and alphabets of the services n8n
// workflows talk to. Facts about the formats come from gitleaks' default configuration
// (config/gitleaks.toml: cloud keys, VCS tokens, chat webhooks, payment, email/SMS, AI providers, JWTs,
// private keys, connection strings); the code is ours. Each rule has keywords (lower case): a rule runs
// only on a text holding one of them, so a text without any costs one search (text.ts).

export interface TokenRule {
  kind: string;
  /** lower-case substrings one of which every match contains (the prefilter) */
  keywords: readonly string[];
  /** global, so every occurrence in a text is found */
  pattern: RegExp;
  /** capture group holding the secret itself (default: the whole match) */
  group?: number;
  /** Shannon entropy floor of the secret (bits per character): rejects `sk_live_000000...` */
  entropy?: number;
  /** rules that also match prose ("Bearer authentication") check the candidate further */
  accept?: (secret: string) => boolean;
}

/** Generated tokens mix letters and digits; words of a sentence do not. */
export const mixesLettersAndDigits = (value: string) => /[0-9]/.test(value) && /[A-Za-z]/.test(value);
/** Basic auth is base64 of "user:password". */
const isBasicCredentials = (value: string) => Buffer.from(value, "base64").toString("latin1").includes(":");

// Left and right edges of a token: not in the middle of a longer word (a lookbehind rather than \b, so
// "bot123456:AA..." in a Telegram URL path still starts a token).
const L = String.raw`(?<![A-Za-z0-9_])`;
const R = String.raw`(?![A-Za-z0-9_-])`;

function rule(kind: string, keywords: readonly string[], source: string, options: Omit<TokenRule, "kind" | "keywords" | "pattern"> & { flags?: string } = {}): TokenRule {
  const { flags = "", ...rest } = options;
  return { kind, keywords, pattern: new RegExp(source, `g${flags}`), entropy: 3, ...rest };
}

// Most specific first: where two rules match the same characters, the first one names the finding.
export const TOKEN_RULES: readonly TokenRule[] = [
  // The key's base64 body must follow (line breaks as they are or written \n; PEM headers allowed), so a
  // regex or a docs line naming the markers is no key.
  rule("private-key", ["-----begin"], String.raw`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\n)*(?:[\w-]+:[^\n]*(?:\n|\\n))*[A-Za-z0-9+/=]{40,}[\s\S]*?(?:-----END[ A-Z0-9_-]*-----|$)`, { entropy: 0 }),
  rule("age-secret-key", ["age-secret-key-1"], String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`),

  // Cloud providers
  rule("aws-access-key", ["akia", "asia", "abia", "acca", "a3t"], String.raw`(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])`),
  rule("aws-secret-key", ["aws"], String.raw`aws.{0,20}?(?:secret|private).{0,20}?[=:"'\s]+([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`, { group: 1, flags: "i", entropy: 3.5 }),
  rule("google-api-key", ["aiza"], String.raw`${L}AIza[\w-]{35}${R}`),
  rule("google-oauth-secret", ["gocspx-"], String.raw`${L}GOCSPX-[\w-]{28}${R}`),
  rule("google-oauth-token", ["ya29."], String.raw`${L}ya29\.[\w-]{50,}`),
  rule("google-refresh-token", ["1//0"], String.raw`(?<![\w/])1//0[\w-]{40,}`),
  rule("azure-storage-key", ["accountkey"], String.raw`AccountKey=([A-Za-z0-9+/]{86,88}={0,2})`, { group: 1, flags: "i" }),
  rule("azure-shared-access-key", ["sharedaccesskey", "sharedaccesssignature"], String.raw`SharedAccess(?:Key|Signature)=([^;'"\s]{20,})`, { group: 1, flags: "i" }),
  rule("azure-ad-client-secret", ["q~"], String.raw`(?<![\w~.-])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}(?![\w~.-])`),
  rule("alibaba-access-key", ["ltai"], String.raw`${L}LTAI[A-Za-z0-9]{20}${R}`),
  rule("digitalocean-token", ["_v1_"], String.raw`${L}do[opr]_v1_[a-f0-9]{64}${R}`),
  rule("heroku-api-key", ["hrku-"], String.raw`${L}HRKU-AA[\w-]{58}${R}`),
  rule("cloudflare-origin-ca-key", ["v1.0-"], String.raw`${L}v1\.0-[a-f0-9]{24}-[a-f0-9]{146}${R}`),
  rule("databricks-token", ["dapi"], String.raw`${L}dapi[a-f0-9]{32}(?:-\d)?${R}`),
  rule("supabase-token", ["sbp_", "sb_secret_"], String.raw`${L}(?:sbp_[a-f0-9]{40}|sb_secret_[\w-]{20,})${R}`),
  rule("planetscale-token", ["pscale_"], String.raw`${L}pscale_(?:tkn|pw|oauth)_[\w.=-]{32,64}${R}`),
  rule("vault-token", ["hvs.", "hvb."], String.raw`${L}hv[sb]\.[\w-]{90,300}${R}`),
  rule("terraform-token", ["atlasv1"], String.raw`${L}[a-z0-9]{14}\.atlasv1\.[\w=-]{60,70}${R}`, { flags: "i" }),
  rule("doppler-token", ["dp.pt.", "dp.st."], String.raw`${L}dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44}${R}`),
  rule("onepassword-token", ["ops_ey"], String.raw`${L}ops_eyJ[A-Za-z0-9+/]{250,}={0,3}`),
  rule("pulumi-token", ["pul-"], String.raw`${L}pul-[a-f0-9]{40}${R}`),
  rule("grafana-token", ["glsa_", "glc_"], String.raw`${L}(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,3})${R}`),
  rule("new-relic-key", ["nrak-", "nrii-"], String.raw`${L}NR(?:AK|II)-[A-Z0-9]{27}${R}`, { flags: "i" }),
  rule("dynatrace-token", ["dt0c01."], String.raw`${L}dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}${R}`),
  rule("sentry-token", ["sntrys_", "sntryu_"], String.raw`${L}(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{50,})${R}`),

  // Source control and package registries
  rule("github-token", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], String.raw`${L}gh[pousr]_[A-Za-z0-9]{36,}${R}`),
  rule("github-token", ["github_pat_"], String.raw`${L}github_pat_\w{22,}${R}`),
  rule("gitlab-token", ["glpat-", "gldt-", "glptt-", "glrt-", "gr1348941"], String.raw`${L}(?:glpat-[\w-]{20,}(?:\.[0-9a-z]{9})?|gldt-[\w-]{20,}|glptt-[0-9a-f]{40}|glrt-[\w-]{20,}|GR1348941[\w-]{20,})${R}`),
  rule("atlassian-token", ["atatt3"], String.raw`${L}ATATT3[A-Za-z0-9_=-]{186}`),
  rule("npm-token", ["npm_"], String.raw`${L}npm_[A-Za-z0-9]{36}${R}`),
  rule("pypi-token", ["pypi-ageichlwas5vcmc"], String.raw`pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`),
  rule("rubygems-token", ["rubygems_"], String.raw`${L}rubygems_[a-f0-9]{48}${R}`),
  rule("postman-token", ["pmak-"], String.raw`${L}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${R}`, { flags: "i" }),

  // Chat and webhooks: a webhook URL is itself the credential
  rule("slack-token", ["xox"], String.raw`${L}xox[abposre]-[A-Za-z0-9-]{10,}`),
  rule("slack-token", ["xapp-"], String.raw`${L}xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+${R}`, { flags: "i" }),
  rule("slack-webhook", ["hooks.slack.com"], String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_-]{20,}(?:/[A-Za-z0-9_-]+)*)`, { group: 1 }),
  rule("discord-webhook", ["discord"], String.raw`discord(?:app)?\.com/api/webhooks/\d{15,21}/([\w-]{60,})`, { group: 1 }),
  rule("teams-webhook", ["webhook.office.com"], String.raw`\.webhook\.office\.com/webhookb2/([^\s"'<>\x60]{40,})`, { group: 1 }),
  rule("telegram-bot-token", ["api.telegram.org/bot"], String.raw`api\.telegram\.org/(?:file/)?bot(\d{5,16}:[\w-]{30,})`, { group: 1 }),
  rule("telegram-bot-token", [":aa"], String.raw`(?<![0-9])\d{8,10}:AA[\w-]{33}${R}`),
  rule("discord-bot-token", ["discord", "bot"], String.raw`(?<![\w.-])[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,40}(?![\w.-])`, { entropy: 4 }),

  // Payment and commerce
  rule("stripe-key", ["sk_live", "sk_test", "sk_prod", "rk_live", "rk_test", "rk_prod"], String.raw`${L}[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,99}${R}`),
  rule("stripe-webhook-secret", ["whsec_"], String.raw`${L}whsec_[A-Za-z0-9+/=]{24,}${R}`),
  rule("square-token", ["sq0atp-", "sq0csp-", "eaaa"], String.raw`${L}(?:sq0atp-[\w-]{22}|sq0csp-[\w-]{43}|EAAA[\w-]{60})${R}`),
  rule("braintree-token", ["access_token$"], String.raw`access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}`),
  rule("shopify-token", ["shpat_", "shpca_", "shppa_", "shpss_"], String.raw`${L}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${R}`),
  rule("flutterwave-key", ["flwseck"], String.raw`${L}FLWSECK(?:_TEST)?-[a-h0-9]{32}-X${R}`, { flags: "i" }),
  rule("shippo-token", ["shippo_"], String.raw`${L}shippo_(?:live|test)_[a-fA-F0-9]{40}${R}`),
  rule("easypost-token", ["ezak"], String.raw`${L}EZ[AT]K[a-zA-Z0-9]{54}${R}`),

  // Email and SMS providers
  rule("sendgrid-key", ["sg."], String.raw`${L}SG\.[\w-]{16,}\.[\w-]{16,}`),
  rule("brevo-key", ["xkeysib-", "xsmtpsib-"], String.raw`${L}x(?:key|smtp)sib-[a-f0-9]{64}-[A-Za-z0-9]{16}${R}`),
  rule("mailchimp-key", ["-us"], String.raw`(?<![A-Za-z0-9])[a-f0-9]{32}-us\d{1,2}${R}`),
  rule("mailgun-key", ["key-"], String.raw`${L}key-[0-9a-f]{32}${R}`),
  rule("twilio-api-key", ["sk"], String.raw`${L}SK[0-9a-fA-F]{32}${R}`),

  // AI providers
  rule("anthropic-key", ["sk-ant-"], String.raw`${L}sk-ant-[\w-]{20,}`),
  rule("openrouter-key", ["sk-or-"], String.raw`${L}sk-or-v1-[a-f0-9]{64}${R}`),
  rule("openai-key", ["sk-"], String.raw`${L}sk-(?:proj-|svcacct-|admin-)?[\w-]{20,}`, { accept: mixesLettersAndDigits }),
  rule("huggingface-token", ["hf_", "api_org_"], String.raw`${L}(?:hf_|api_org_)[A-Za-z0-9]{30,}${R}`),
  rule("groq-key", ["gsk_"], String.raw`${L}gsk_[A-Za-z0-9]{48,}${R}`),
  rule("perplexity-key", ["pplx-"], String.raw`${L}pplx-[A-Za-z0-9]{48}${R}`),
  rule("replicate-token", ["r8_"], String.raw`${L}r8_[A-Za-z0-9]{37}${R}`),
  rule("xai-key", ["xai-"], String.raw`${L}xai-[A-Za-z0-9]{70,}${R}`),
  rule("langsmith-key", ["lsv2_"], String.raw`${L}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${R}`),
  rule("pinecone-key", ["pcsk_"], String.raw`${L}pcsk_[A-Za-z0-9_]{50,}${R}`),

  // Productivity and CRM services n8n nodes call
  rule("notion-token", ["ntn_", "secret_"], String.raw`${L}(?:ntn_\d{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})${R}`),
  rule("airtable-token", ["pat"], String.raw`${L}pat[A-Za-z0-9]{14}\.[a-f0-9]{64}${R}`),
  rule("linear-key", ["lin_api_"], String.raw`${L}lin_api_[A-Za-z0-9]{40}${R}`),
  rule("hubspot-token", ["pat-"], String.raw`${L}pat-(?:na|eu|ap)\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${R}`),
  rule("clickup-token", ["pk_"], String.raw`${L}pk_\d{6,10}_[A-Z0-9]{32}${R}`),
  rule("typeform-token", ["tfp_"], String.raw`${L}tfp_[\w.=-]{59}${R}`),
  rule("facebook-token", ["eaam", "eaac"], String.raw`${L}EAA[MC][A-Za-z0-9]{100,}${R}`),
  rule("twitter-bearer-token", ["aaaaaaaaaaaaaaaaaaaaa"], String.raw`${L}A{22}[A-Za-z0-9%]{80,110}${R}`),
  rule("dropbox-token", ["sl."], String.raw`${L}sl\.[\w-]{130,160}${R}`),
  rule("mapbox-secret-token", ["sk.ey"], String.raw`${L}sk\.eyJ[\w-]{50,}\.[\w-]{20,}${R}`),

  // Shapes any service uses
  rule("jwt", ["eyj"], String.raw`${L}eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`),
  rule("bearer-token", ["bearer"], String.raw`\bBearer[ \t]+([A-Za-z0-9._~+/-]{12,}=*)`, { group: 1, accept: mixesLettersAndDigits }),
  rule("basic-auth", ["basic"], String.raw`\bBasic[ \t]+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])`, { group: 1, accept: isBasicCredentials, entropy: 0 }),
];
