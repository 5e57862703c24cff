// Prints the entry of src/validate/released-templates.ts for a sample workflow migration of a release:
// `tsx scripts/template-digest.ts test/fixtures/templates/<version>.sql <version>`. At a release, render a
// sample with that release's code into test/fixtures/templates/ and add its entry.
import { readFileSync } from "node:fs";
import { lineHashes, skeletonDigest, templateSkeleton } from "../src/validate/template-skeleton.ts";

const [file, version] = process.argv.slice(2);
if (!file || !version) throw new Error("usage: tsx scripts/template-digest.ts <sample file> <version>");
const { lines } = templateSkeleton(readFileSync(file, "utf8"));
console.log(JSON.stringify({ version, digest: skeletonDigest(lines), lines: lineHashes(lines) }, null, 2));
