/**
 * Catalyst's web page: the org in theory beside the org in practice, and the org delta report's
 * tables, for a chosen window and instant. It talks only to the public GraphQL API (POST /graphql,
 * the caller's token in `Authorization: Bearer`), renders with Cytoscape.js (bundled by
 * tools/web/build.mjs; no CDN) and keeps its controls in the URL so that a view can be linked.
 */
import cytoscape from 'cytoscape';
import {
  DELTA_QUERY,
  isControlError,
  nodeId,
  percent,
  practicePositions,
  practiceView,
  theoryPositions,
  theoryView,
  variablesOf,
  type Controls,
  type DeltaData,
  type GraphElement,
  type NodeKind,
  type Point,
  type Ref,
} from './model';

const TOKEN_KEY = 'catalyst.token';

const $ = <T extends HTMLElement>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`missing element ${selector}`);
  return element;
};

const status = $<HTMLOutputElement>('#status');
const form = $<HTMLFormElement>('#controls');
const tokenForm = $<HTMLFormElement>('#token-form');

function setStatus(state: 'loading' | 'ready' | 'error' | 'signin', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
  document.body.dataset.state = state;
}

// GraphQL ---------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The API answered ${response.status} ${response.statusText} without a GraphQL body`, null);
  }
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    throw new ApiError(body.errors.map((e) => e.message).join('; '), first.extensions?.code ?? null);
  }
  if (!body.data) throw new ApiError(`The API answered ${response.status} without data`, null);
  return body.data;
}

// Graphs ----------------------------------------------------------------------------------------

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 9, color: '#1f2933', 'text-valign': 'bottom', 'text-margin-y': 3 } },
  { selector: 'node.person', style: { 'background-color': '#7b8794', width: 14, height: 14 } },
  { selector: 'node.person.lead', style: { shape: 'round-rectangle' } },
  { selector: 'node.service', style: { shape: 'diamond', 'background-color': '#3e8ed0', width: 12, height: 12 } },
  { selector: 'node.service.kept', style: { 'background-color': '#d64545' } },
  { selector: 'node.team', style: { shape: 'round-rectangle', 'background-color': '#e4ebf5', 'border-color': '#627d98', 'border-width': 1, 'font-weight': 'bold', 'font-size': 12, width: 34, height: 34 } },
  { selector: ':parent', style: { 'text-valign': 'top', 'text-halign': 'center', 'background-opacity': 0.35, padding: '8px' } },
  { selector: 'node.outsider', style: { 'background-color': '#d64545' } },
  { selector: 'node.hero', style: { 'border-color': '#f0b429', 'border-width': 4, width: 22, height: 22 } },
  { selector: 'edge', style: { 'curve-style': 'bezier', width: 1, 'line-color': '#bcccdc', opacity: 0.55 } },
  { selector: 'edge.member', style: { 'line-style': 'dashed', 'line-color': '#829ab1' } },
  { selector: 'edge.responded', style: { width: 'mapData(weight, 0, 1, 0.5, 6)', 'line-color': '#9fb3c8', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#9fb3c8' } },
  { selector: 'edge.responded.outsider', style: { 'line-color': '#d64545', 'target-arrow-color': '#d64545' } },
  { selector: 'edge.shared', style: { width: 'mapData(weight, 0, 1, 1, 9)', 'line-color': '#627d98', opacity: 0.6 } },
  { selector: 'edge.shared.hidden', style: { 'line-color': '#f0b429', 'line-style': 'dashed', opacity: 1 } },
  { selector: ':selected', style: { 'overlay-color': '#2186eb', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
  { selector: '.faded', style: { opacity: 0.15 } },
];

/** A graph laid out at the given positions (computed by the model, so the same data gives the same picture). */
function createGraph(container: HTMLElement, elements: GraphElement[], positions: Map<string, Point>): cytoscape.Core {
  return cytoscape({
    container,
    elements: elements.map((e) => ({ group: e.group, data: e.data, classes: e.classes })) as cytoscape.ElementDefinition[],
    style: STYLE,
    layout: { name: 'preset', positions: (node: cytoscape.NodeSingular) => positions.get(node.id()) ?? { x: 0, y: 0 }, fit: true, padding: 16 } as cytoscape.LayoutOptions,
    wheelSensitivity: 0.3,
    minZoom: 0.1,
    maxZoom: 4,
  });
}

const graphs: { theory: cytoscape.Core | null; practice: cytoscape.Core | null } = { theory: null, practice: null };
// For tests and the curious: the two Cytoscape instances.
(window as unknown as { catalystUi: typeof graphs }).catalystUi = graphs;

/** Selects the entity in both views (where it is), centres on it and fades what is not next to it. */
function focus(kind: NodeKind, id: string): void {
  const key = nodeId(kind, id);
  const found: string[] = [];
  for (const [name, cy] of Object.entries(graphs)) {
    if (!cy) continue;
    cy.elements().unselect().removeClass('faded');
    const node = cy.getElementById(key);
    if (node.empty()) continue;
    found.push(name);
    node.select();
    const near = node.closedNeighborhood().union(node.ancestors()).union(node.descendants());
    cy.elements().not(near).addClass('faded');
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
  }
  const selection = $<HTMLOutputElement>('#selection');
  selection.dataset.selected = key;
  selection.textContent = found.length > 0 ? `${kind} ${id}: shown in ${found.join(' and ')}` : `${kind} ${id} is in neither view for these controls`;
}

function clearFocus(): void {
  for (const cy of Object.values(graphs)) cy?.elements().unselect().removeClass('faded');
  const selection = $<HTMLOutputElement>('#selection');
  delete selection.dataset.selected;
  selection.textContent = '';
}

function wireSelection(cy: cytoscape.Core): void {
  cy.on('tap', 'node', (event) => {
    const data = event.target.data() as { kind: NodeKind; ref: string };
    focus(data.kind, data.ref);
  });
  cy.on('tap', (event) => {
    if (event.target === cy) clearFocus();
  });
}

function renderCounts(prefix: string, counts: object): void {
  for (const [key, value] of Object.entries(counts)) {
    const element = document.querySelector<HTMLElement>(`[data-count="${prefix}.${key}"]`);
    if (element) element.textContent = String(value);
  }
}

// Tables ----------------------------------------------------------------------------------------

function link(kind: NodeKind, ref: Ref): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = `#${nodeId(kind, ref.id)}`;
  a.textContent = ref.name ?? ref.id;
  a.title = `${kind} ${ref.id}: show in the graphs`;
  a.dataset.kind = kind;
  a.dataset.ref = ref.id;
  return a;
}

type Cell = string | number | Node | Node[];

function fillTable(id: string, rows: Cell[][], empty: string): void {
  const body = $<HTMLTableSectionElement>(`#${id} tbody`);
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    tr.className = 'empty';
    const td = document.createElement('td');
    td.colSpan = $<HTMLTableElement>(`#${id}`).tHead?.rows[0]?.cells.length ?? 1;
    td.textContent = empty;
    tr.append(td);
    body.append(tr);
  }
  for (const row of rows) {
    const tr = document.createElement('tr');
    for (const cell of row) {
      const td = document.createElement('td');
      if (Array.isArray(cell)) cell.forEach((node, i) => td.append(...(i > 0 ? [', ', node] : [node])));
      else if (cell instanceof Node) td.append(cell);
      else td.textContent = String(cell);
      tr.append(td);
    }
    body.append(tr);
  }
  $<HTMLElement>(`#${id}`).dataset.rows = String(rows.length);
}

function renderTables(data: DeltaData): void {
  const delta = data.orgDelta;
  fillTable(
    'heroes',
    delta.heroes.map((h) => [link('person', h.person), h.incidents, h.outsiderIncidents, h.offHoursIncidents, h.helpedTeams.map((t) => link('team', t)), percent(h.share)]),
    'Nobody responded in this window.',
  );
  fillTable(
    'kept',
    delta.servicesKeptByOutsiders.map((s) => [
      link('service', s.service),
      s.incidents,
      percent(s.outsiderShare),
      s.topOutsiders.slice(0, 3).map((o) => link('person', o.person)),
    ]),
    'No service with at least 3 incidents is kept alive by outsiders.',
  );
  fillTable(
    'debt',
    delta.actionItemDebt.map((d) => [link('team', d.team), d.open, d.overdue, d.created, percent(d.completionRate), d.medianOpenAgeDays === null ? '–' : d.medianOpenAgeDays.toFixed(1)]),
    'No team has open action items.',
  );
  const drift = delta.onCallDrift;
  $<HTMLElement>('#drift-summary').textContent =
    `${drift.drifted} of ${drift.covered} incidents covered by an on-call shift were handled without the on-call person (${percent(drift.driftShare)}).`;
  fillTable(
    'drift',
    drift.incidents.map((d) => [d.incident.title ?? d.incident.id, d.incident.declaredAt.slice(0, 16).replace('T', ' '), d.absent.map((p) => link('person', p)), d.responders.map((p) => link('person', p))]),
    'No drifted incident in this window.',
  );
}

// Controls --------------------------------------------------------------------------------------

function readControls(): Controls {
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  return { from: value('from'), to: value('to'), asOf: value('asOf') };
}

function writeControls(controls: Controls): void {
  for (const [name, value] of Object.entries(controls)) (form.elements.namedItem(name) as HTMLInputElement).value = value;
}

function controlsFromUrl(): Controls {
  const params = new URLSearchParams(location.search);
  return { from: params.get('from') ?? '', to: params.get('to') ?? '', asOf: params.get('asOf') ?? '' };
}

function controlsToUrl(controls: Controls): void {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(controls)) if (value) params.set(name, value);
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}

let generation = 0;

async function refresh(): Promise<void> {
  const controls = readControls();
  const variables = variablesOf(controls);
  for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  if (isControlError(variables)) {
    (form.elements.namedItem(variables.field) as HTMLInputElement).setAttribute('aria-invalid', 'true');
    setStatus('error', variables.message);
    return;
  }
  controlsToUrl(controls);
  const mine = ++generation;
  setStatus('loading', 'Asking the API...');
  let data: DeltaData;
  try {
    data = await graphql<DeltaData>(DELTA_QUERY, variables);
  } catch (error) {
    if (mine !== generation) return;
    const e = error as ApiError;
    if (e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN') {
      tokenForm.hidden = false;
      setStatus('signin', `${e.message}. Paste an API key or a JWT with the analyst role.`);
    } else {
      setStatus('error', e.message);
    }
    return;
  }
  if (mine !== generation) return;
  render(data, variables.asOf);
}

function render(data: DeltaData, asOf: string | null): void {
  const theory = theoryView(data);
  const practice = practiceView(data);
  graphs.theory?.destroy();
  graphs.practice?.destroy();
  graphs.theory = createGraph($('#theory-graph'), theory.elements, theoryPositions(theory.elements));
  // The org in practice has no tree: people sit between the teams they work for.
  graphs.practice = createGraph($('#practice-graph'), practice.elements, practicePositions(practice.elements));
  wireSelection(graphs.theory);
  wireSelection(graphs.practice);
  renderCounts('theory', theory.counts);
  renderCounts('practice', practice.counts);
  renderTables(data);
  $<HTMLElement>('#as-of-shown').textContent = asOf ? asOf.replace('.000Z', 'Z') : 'now';
  setStatus('ready', `${theory.counts.teams} teams in theory, ${practice.counts.responseEdges} response edges in practice`);
  if (location.hash.startsWith('#')) followHash();
}

function followHash(): void {
  const match = /^#(team|person|service):(.+)$/.exec(decodeURIComponent(location.hash));
  if (match) focus(match[1] as NodeKind, match[2]);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void refresh();
});
$<HTMLButtonElement>('#reset').addEventListener('click', () => {
  writeControls({ from: '', to: '', asOf: '' });
  void refresh();
});
tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ($<HTMLInputElement>('#token').value ?? '').trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  $<HTMLInputElement>('#token').value = '';
  tokenForm.hidden = true;
  void refresh();
});
$<HTMLButtonElement>('#sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  tokenForm.hidden = false;
});
document.addEventListener('click', (event) => {
  const a = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-kind]');
  if (!a) return;
  event.preventDefault();
  history.replaceState(null, '', `${location.pathname}${location.search}${a.getAttribute('href')}`);
  focus(a.dataset.kind as NodeKind, a.dataset.ref as string);
  $('#graphs').scrollIntoView({ behavior: 'smooth' });
});
window.addEventListener('hashchange', followHash);

writeControls(controlsFromUrl());
tokenForm.hidden = true;
void refresh();
