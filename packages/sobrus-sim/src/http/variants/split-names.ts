import { type Static, Type } from '@sinclair/typebox';
import type { SimContext } from '../context.js';
import { listPageSize, registerListEndpoint } from '../customers.routes.js';
import { scriptJson } from '../pages/html.js';
import { listPage, ROW_SCRIPT_HELPERS } from '../pages/list-page.js';
import type { ListVariant } from './list-variant.js';

export const DIRECTORY_PATH = '/api/v3/directory';
const MAX_SIZE = 1000;

const DirectoryQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^c[0-9]+$' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SIZE })),
});
type DirectoryQuery = Static<typeof DirectoryQuery>;

/** The first word is the given name, the rest the family name, as a directory that stores them apart. */
const splitName = (name: string) => {
  const [given = '', ...family] = name.split(' ');
  return { given, family: family.join(' ') };
};

/**
 * A directory that keeps names in two fields the page joins (`given + ' ' + family`), paged by an opaque
 * cursor: `GET /api/v3/directory?after=<cursor>&size=N` → `{ entries, next, count }`. No JSON field holds a
 * shown name, so a learner that looks for the names cannot find the list: the site that sends the scraper to
 * its click path with JSON traffic in its diagnostic bundle.
 */
export const splitNames: ListVariant = {
  registerApp(app, context) {
    registerListEndpoint<{ Querystring: DirectoryQuery }>(app, context, {
      method: 'GET',
      url: DIRECTORY_PATH,
      schema: { querystring: DirectoryQuery },
      unauthorized: (reply) => reply.send({ message: 'Unauthorized' }),
      answer: (request, session) => {
        const customers = context.simulation.customers(session.account);
        const size = request.query.size ?? listPageSize(context, session.account);
        const start = request.query.after ? Number(request.query.after.slice(1)) : 0;
        const entries = customers.slice(start, start + size).map((customer) => ({
          key: customer.id,
          person: splitName(customer.name),
          mail: customer.email,
          phone: customer.phone,
          insurer: customer.organisme,
          insuranceNo: customer.immatriculation,
        }));
        const end = start + entries.length;
        return { entries, next: end < customers.length ? `c${end}` : null, count: customers.length };
      },
    });
  },
  page: (context: SimContext, account, pharmacyName) =>
    listPage({ pharmacyName, script: directoryScript(listPageSize(context, account)) }),
};

function directoryScript(size: number): string {
  return `(() => {
  const size = ${scriptJson(size)};
  ${ROW_SCRIPT_HELPERS}
  const cursors = [null];
  let state = { index: 0, next: null, pages: 1 };
  async function load(index) {
    const after = cursors[index];
    const response = await fetchRows(${scriptJson(DIRECTORY_PATH)} + '?size=' + size + (after ? '&after=' + after : ''), { credentials: 'same-origin' });
    if (!response) return;
    const body = await response.json();
    cursors[index + 1] = body.next;
    state = { index, next: body.next, pages: Math.max(1, Math.ceil(body.count / size)) };
    tbody.replaceChildren(...body.entries.map((entry) => buildRow(
      entry.person.given + ' ' + entry.person.family,
      [entry.mail, entry.phone, entry.insurer, entry.insuranceNo],
      entry.key,
    )));
    current.textContent = String(index + 1);
    setButtons(index + 1, body.next ? index + 2 : index + 1);
  }
  prev.addEventListener('click', () => { if (state.index > 0) load(state.index - 1); });
  next.addEventListener('click', () => { if (state.next) load(state.index + 1); });
  load(0);
})();`;
}
