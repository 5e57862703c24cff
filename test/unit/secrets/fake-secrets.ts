// Secret-shaped test values generated at run time, so no real-looking key is committed to the repository
// (and no push protection or scanner trips on the tests). Deterministic per seed.
export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const HEX = "0123456789abcdef";
export const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const BASE64 = `${ALNUM}+/`;

/** A deterministic random-string maker: (alphabet, length) -> string. */
export function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
}

export function fakeSecrets(seed = 7) {
  const r = generator(seed);
  const b64url = (value: string) => Buffer.from(value).toString("base64url");
  return {
    github: `gh${"p"}_${r(ALNUM, 36)}`,
    githubPat: `github${"_pat"}_${r(ALNUM, 22)}_${r(ALNUM, 59)}`,
    slack: `xo${"xb"}-${r("0123456789", 12)}-${r("0123456789", 12)}-${r(ALNUM, 24)}`,
    stripe: `sk${"_live"}_${r(ALNUM, 24)}`,
    openai: `sk${"-proj"}-${r(ALNUM, 48)}`,
    google: `AI${"za"}${r(ALNUM, 35)}`,
    sendgrid: `S${"G"}.${r(ALNUM, 22)}.${r(ALNUM, 43)}`,
    twilio: `S${"K"}${r(HEX, 32)}`,
    awsAccessKey: `AK${"IA"}${r(UPPER_DIGITS, 16)}`,
    awsSecretKey: r(BASE64, 40),
    jwt: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${r(ALNUM, 10)}"}`)}.${r(ALNUM, 43)}`,
    privateKey: `-----BEGIN ${"RSA PRIVATE"} KEY-----\n${r(BASE64, 64)}\n${r(BASE64, 64)}\n-----END ${"RSA PRIVATE"} KEY-----`,
    password: `${r(ALNUM, 10)}!`,
    randomToken: r(ALNUM, 32) + "9a",
    hexToken: r(HEX, 32),
  };
}
