// The library side of benchmark 8, run as its own process like the CLI: every message of the
// sandbox the SAKARI_* variables name, through `iterate` at the concurrency in argv[2], each
// consumed one by one as a caller would; prints the count.
import { createSakariClient } from '../../dist/index.js';

const env = process.env;
const sakari = createSakariClient({
  baseUrl: env.SAKARI_BASE_URL,
  accountId: env.SAKARI_ACCOUNT_ID ?? '',
  auth: { clientId: env.SAKARI_CLIENT_ID ?? '', clientSecret: env.SAKARI_CLIENT_SECRET ?? '' },
});
let count = 0;
for await (const message of sakari.messages.iterate({}, { concurrency: Number(process.argv[2]) })) {
  if (message.id) count++;
}
process.stdout.write(`${count}\n`);
