// Mermaid's own parser, in Node: mermaid only needs a window for DOMPurify (it sanitizes labels while
// parsing), so a bare jsdom window is enough; no layout, no browser. Throws Mermaid's parse error.
import { JSDOM } from "jsdom";

type Mermaid = typeof import("mermaid").default;
let loaded: Promise<Mermaid> | undefined;

function load(): Promise<Mermaid> {
  loaded ??= (async () => {
    const { window } = new JSDOM("");
    Object.assign(globalThis, { window, document: window.document });
    return (await import("mermaid")).default;
  })();
  return loaded;
}

/** The diagram type Mermaid detected; rejects with Mermaid's message when the text does not parse. */
export async function parseMermaid(text: string): Promise<string> {
  const mermaid = await load();
  const result = await mermaid.parse(text);
  if (!result) throw new Error("mermaid.parse returned false");
  return result.diagramType;
}
