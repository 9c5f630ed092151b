// A strict TypeScript consumer of the installed package: client, types, errors, sandbox and
// the drift collector of sakari-client/validate fed by the client's onResponse.
// Compiled with moduleResolution nodenext and bundler, then run against the sandbox.
import {
  createSakariClient,
  type Message,
  type MessagePage,
  NotFoundError,
  SakariApiError,
  SakariValidationError,
} from 'sakari-client';
import { startSandbox } from 'sakari-client/sandbox';
import { createDriftCollector, type DriftReport, formatDriftReport } from 'sakari-client/validate';

const sandbox = await startSandbox({ messages: 250, seed: 5 });
try {
  const drift = createDriftCollector({ secrets: [sandbox.clientSecret] });
  const sakari = createSakariClient({
    accountId: sandbox.accountId,
    auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    baseUrl: sandbox.url,
    onResponse: (answer) => drift.check(answer, answer.body),
  });
  const page: MessagePage = await sakari.messages.list({ limit: 10 });
  const first: Message | undefined = page.data[0];
  if (!first) throw new Error('empty page');
  const again = await sakari.messages.get(first.id);
  let count = 0;
  for await (const m of sakari.messages.iterate({}, { concurrency: 4 })) {
    const text: string | undefined = m.message;
    void text;
    count++;
  }
  let notFound = false;
  try {
    await sakari.messages.get('ffffffffffffffffffffffff');
  } catch (error) {
    notFound = error instanceof NotFoundError && error instanceof SakariApiError;
  }
  let invalid = false;
  try {
    await sakari.messages.list({ limit: 0 });
  } catch (error) {
    invalid = error instanceof SakariValidationError && error.field === 'limit';
  }
  const { data } = await sakari.fetcher.GET('/v1/accounts/{accountId}/messages/{messageId}', {
    params: { path: { accountId: sandbox.accountId, messageId: first.id } },
  });
  const report: DriftReport = drift.report();
  // The sandbox's answers fit the spec, its 404 included.
  const fits = report.answers > 3 && formatDriftReport(report) === '';
  const ok =
    again.id === first.id &&
    count === 250 &&
    notFound &&
    invalid &&
    data?.data.id === first.id &&
    fits;
  console.log(JSON.stringify({ ok, count, notFound, invalid, checked: report.answers, fits }));
  if (!ok) process.exitCode = 1;
} finally {
  await sandbox.close();
}
