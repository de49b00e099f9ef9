// Reads a JSON-LD file with jsonld-streaming-parser (the JSON-LD parser Comunica
// uses, installed with it from the committed package-lock.json) and writes the
// quads as N-Quads on stdout. It stands in for rapper, which has no JSON-LD
// parser, so that JSON-LD too is read by two parsers in check_parsers.py.
//   node jsonld_to_nquads.mjs FILE.jsonld > FILE.nq
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { JsonLdParser } from 'jsonld-streaming-parser';
import { Writer } from 'n3';

const file = process.argv[2];
if (!file) {
  console.error('usage: node jsonld_to_nquads.mjs FILE.jsonld');
  process.exit(2);
}
// No remote contexts: an export that needs one is an error, not a network fetch.
const documentLoader = {
  load: async (url) => {
    throw new Error(`remote context ${url} (not fetched)`);
  },
};
const parser = new JsonLdParser({ baseIRI: pathToFileURL(file).href, documentLoader });
const writer = new Writer(process.stdout, { format: 'N-Quads', end: false });
let count = 0;
createReadStream(file)
  .on('error', fail)
  .pipe(parser)
  .on('data', (quad) => {
    writer.addQuad(quad);
    count += 1;
  })
  .on('error', fail)
  .on('end', () => {
    writer.end(() => console.error(`jsonld-streaming-parser: ${count} quads`));
  });

function fail(error) {
  console.error(`jsonld-streaming-parser: ${error.message}`);
  process.exit(1);
}
