// The dashboard's org mode (served by the org API, API.md section 9): the Accounts section and its
// filter, an Account column, and DLQ names looked up across accounts. Does nothing in account mode.
// Uses the main script's helpers; every value from the API is set as text, never markup.
(() => {
  'use strict';
  const { ORG, api, el, formatNumber } = window.redriveDashboard;
  if (!ORG) return;
  const $ = (id) => document.getElementById(id);
  // an account unheard for longer is marked stale: the inventory sends an event every minute
  const STALE_AFTER_MS = 15 * 60 * 1000;
  // a DLQ name is looked up in at most this many pages of GET /org/dlqs (1,000 a page)
  const LOOKUP_PAGES = 10;
  /** DLQs seen (the DLQ table, lookups), by ARN: the start confirmation counts their messages. */
  const knownDlqs = new Map();

  document.title = 'Redrives · organization · redrive-controller';
  document.querySelector('h1').textContent = 'Redrives across the organization';
  $('accounts-section').hidden = false;
  // the org view routes starts and cancels only: a DLQ's view (peek, its history, a selective redrive) is on each account's own dashboard
  for (const id of ['active', 'dlqs', 'history']) $(id).tHead.rows[0].prepend(el('th', { text: 'Account', attrs: { scope: 'col' } }));
  document.querySelector('label[for="source"]').textContent = 'Source DLQ (queue ARN, or its name with the account chosen above)';
  document.querySelector('label[for="destination"]').replaceChildren('Destination queue (name or ARN, in the source\'s account) ',
    el('span', { className: 'hint', text: '(optional; default: back to the source queues)' }));

  function formatAgo(ms) {
    const minutes = Math.round(ms / 60000);
    if (minutes < 1) return 'just now';
    if (minutes < 120) return minutes + ' min ago';
    const hours = Math.round(minutes / 60);
    return hours < 48 ? hours + ' h ago' : Math.round(hours / 24) + ' days ago';
  }

  /** When the org view last heard from the account, in words: a stale account says so, not by colour alone. */
  function lastHeardCell(lastEventAt, now) {
    if (!lastEventAt) return el('td', { className: 'stale', text: 'never heard from' });
    const age = now - Date.parse(lastEventAt);
    const when = new Date(lastEventAt).toLocaleString() + ' (' + formatAgo(age) + ')';
    if (age <= STALE_AFTER_MS) return el('td', { text: when });
    return el('td', { className: 'stale', title: 'No event for more than 15 minutes: its figures may be out of date' },
      el('span', { className: 'stale-label', text: 'stale' }), ' ' + when);
  }

  function renderAccounts(accounts) {
    const now = Date.now();
    const rows = accounts.map((account) => {
      const totals = account.Totals || {};
      return el('tr', { attrs: { 'data-account-id': account.AccountId } },
        el('th', { attrs: { scope: 'row' }, text: account.AccountId }),
        el('td', { text: account.Region || '–' }),
        lastHeardCell(account.LastEventAt, now),
        el('td', { className: 'num', text: formatNumber(totals.DeadLetterQueues) }),
        el('td', { className: 'num', text: formatNumber(totals.ApproximateNumberOfMessages) }),
        el('td', { className: 'num', text: formatNumber(totals.ApproximateNumberOfMessagesNotVisible) }),
        el('td', { className: 'num', text: formatNumber(totals.ActiveRedrives) }),
        el('td', { className: 'arn', text: account.ApiUrl || '–' }));
    });
    $('accounts').tBodies[0].replaceChildren(...rows);
    // the filter's options follow the accounts; the choice stays while its account is listed
    const filter = $('account-filter');
    const chosen = filter.value;
    const ids = accounts.map((account) => account.AccountId);
    const current = [...filter.options].slice(1).map((option) => option.value);
    if (ids.join() !== current.join()) {
      filter.replaceChildren(el('option', { attrs: { value: '' }, text: 'every account' }),
        ...ids.map((id) => el('option', { attrs: { value: id }, text: id })));
      filter.value = ids.includes(chosen) ? chosen : '';
    }
  }

  function rememberDlqs(dlqs) {
    for (const dlq of dlqs) knownDlqs.set(dlq.QueueArn, dlq);
    $('queue-options').replaceChildren(...[...knownDlqs.values()].map((dlq) => el('option', { attrs: { value: dlq.QueueArn }, text: dlq.QueueName + ' · ' + dlq.AccountId })));
  }

  /**
   * A queue ARN as given; a name is looked up among the org view's DLQs (of the chosen account, if
   * one is), and refused when it names DLQs in several accounts: only the account tells them apart.
   */
  async function resolveOrgDlq(text, what) {
    if (text.startsWith('arn:')) return text;
    const account = $('account-filter').value;
    const found = [];
    let nextToken;
    for (let page = 0; page < LOOKUP_PAGES; page += 1) {
      const params = new URLSearchParams({ limit: '1000', sort: 'name' });
      if (account) params.set('accountId', account);
      if (nextToken) params.set('nextToken', nextToken);
      const answer = await api('GET', 'org/dlqs?' + params);
      found.push(...answer.dlqs.filter((dlq) => dlq.QueueName === text));
      nextToken = answer.nextToken;
      if (!nextToken) break;
    }
    const where = account ? ' in account ' + account : '';
    if (found.length === 0) throw new Error(what + ': no DLQ' + where + ' is named "' + text + '" in the org view; give a queue ARN, or choose its account above');
    if (found.length > 1) {
      throw new Error(what + ': "' + text + '" is a DLQ in accounts ' + found.map((dlq) => dlq.AccountId).join(', ') + ': choose the account above, or give the queue ARN');
    }
    rememberDlqs(found);
    return found[0].QueueArn;
  }

  Object.assign(window.redriveDashboard, { renderAccounts, rememberDlqs, resolveOrgDlq, knownOrgDlq: (arn) => knownDlqs.get(arn) });
})();
