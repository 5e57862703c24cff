// How the scanner, the diff and the summary name a place inside a node: parameters.options.timeout,
// parameters.rules[0].value, parameters["X-Header"] (JavaScript-like, so reviewers can find it).

export function appendKey(prefix: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return prefix === "" ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

export function appendIndex(prefix: string, index: number): string {
  return `${prefix}[${index}]`;
}
