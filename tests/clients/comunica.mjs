// Comunica (@comunica/query-sparql) against a running `chronograph serve`'s
// /sparql, as a SPARQL source: it sends its own query forms (COUNT probes, POST
// forms). Run by scripts/client-tests.sh with CHRONOGRAPH_URL set; exits 1 on
// any mismatch.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryEngine } from '@comunica/query-sparql';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let url = process.env.CHRONOGRAPH_URL || 'http://127.0.0.1:7878/';
if (!url.endsWith('/')) url += '/';
const sources = [{ type: 'sparql', value: `${url}sparql` }];
const engine = new QueryEngine();

let failures = 0;
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} comunica: ${name}${ok ? '' : `: ${detail}`}`);
  if (!ok) failures += 1;
}

async function select(query) {
  const stream = await engine.queryBindings(query, { sources, httpTimeout: 60000 });
  return stream.toArray();
}

async function run(name, body) {
  try {
    await body();
  } catch (error) {
    check(name, false, error && error.stack ? error.stack : String(error));
  }
}

await run('person names', async () => {
  const rows = await select(`
    SELECT ?name WHERE {
      ?p a <https://w3id.org/chronograph/ontology#Person> ; <https://schema.org/name> ?name
    } ORDER BY ?name`);
  const names = rows.map((b) => b.get('name').value);
  const missing = ['Kim Il Sung', 'Alexander Puzanov'].filter((n) => !names.includes(n));
  const sorted = names.every((n, i) => i === 0 || names[i - 1] <= n);
  check('person names', missing.length === 0 && sorted, `missing ${missing}; got ${JSON.stringify(names)}`);
});

await run('person IRI', async () => {
  const rows = await select(`
    SELECT ?p WHERE { ?p <https://schema.org/name> "Kim Il Sung" }`);
  const iris = rows.map((b) => b.get('p').value);
  check('person IRI', iris.includes(`${url}person/kim-il-sung`), JSON.stringify(iris));
});

await run('queries/documents-per-year.rq', async () => {
  const query = readFileSync(join(root, 'queries', 'documents-per-year.rq'), 'utf8');
  const rows = await select(query);
  const got = rows.map((b) => [Number(b.get('year').value), Number(b.get('documents').value)]);
  const want = [
    [1953, 1], [1955, 1], [1956, 1], [1957, 1], [1960, 3], [1961, 1],
    [1962, 1], [1964, 1], [1965, 3], [1969, 1], [1979, 1],
  ];
  check('queries/documents-per-year.rq', JSON.stringify(got) === JSON.stringify(want), `got ${JSON.stringify(got)}`);
});

await run('ASK', async () => {
  const yes = await engine.queryBoolean(
    `ASK { <${url}person/kim-il-sung> <https://schema.org/name> "Kim Il Sung" }`, { sources });
  const no = await engine.queryBoolean(
    `ASK { <${url}person/kim-il-sung> <https://schema.org/name> "Nobody" }`, { sources });
  check('ASK', yes === true && no === false, `true→${yes}, false→${no}`);
});

console.log(`comunica: ${failures === 0 ? 'all checks passed' : `${failures} check(s) failed`}`);
process.exit(failures === 0 ? 0 : 1);
