/**
 * The plan webview: our findings on top, each a button that selects and centres its node in the plan
 * below, which PEV2 draws. Runs in the webview's browser frame; talks to the extension only through
 * postMessage ("Copy plan JSON", "Open as text", and a report once the plan is drawn).
 */
import './style-nonce';
import 'bootstrap/dist/css/bootstrap.min.css';
import 'pev2/dist/pev2.css';
import './plan-view.css';
import { createApp, h } from 'vue';
import { Plan } from 'pev2';
import type { PlanViewData } from '../plan-view-data';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const data = JSON.parse(document.getElementById('perflens-plan-data')!.textContent ?? '{}') as PlanViewData;

followTheme();
const app = document.getElementById('app')!;
app.append(header(data), ...(data.notes.length ? [notes(data)] : []), findings(data));
const planHost = element('main', { id: 'pev2', className: 'pl-plan d-flex flex-column', ariaLabel: 'Plan' });
app.append(planHost);
createApp({ render: () => h(Plan, { planSource: data.planJson, planQuery: data.sql }) }).mount(planHost);
reportWhenDrawn();

function header(d: PlanViewData): HTMLElement {
  const title = element('h1', { className: 'pl-heading' }, d.heading);
  const where = element('span', { className: 'pl-where' }, d.source ? `${d.database} · ${d.source}` : d.database);
  const copy = button('Copy plan JSON', () => vscode.postMessage({ type: 'copyJson' }));
  copy.id = 'pl-copy-json';
  const text = button('Open as text', () => vscode.postMessage({ type: 'openText' }));
  text.id = 'pl-open-text';
  const actions = element('div', { className: 'pl-actions', role: 'toolbar', ariaLabel: 'Plan actions' });
  actions.append(copy, text);
  const bar = element('header', { className: 'pl-header' });
  const titles = element('div', { className: 'pl-titles' });
  titles.append(title, where);
  bar.append(titles, actions);
  return bar;
}

function notes(d: PlanViewData): HTMLElement {
  const list = element('ul', { className: 'pl-notes', ariaLabel: 'Notes' });
  d.notes.forEach((n, i) => list.append(withCode(element('li', { className: i === 0 && d.noData ? 'pl-note pl-no-data' : 'pl-note', role: 'note' }), n)));
  return list;
}

function findings(d: PlanViewData): HTMLElement {
  const section = element('section', { className: 'pl-findings', ariaLabel: 'Findings' });
  if (!d.findings.length) {
    section.append(element('p', { className: 'pl-none' }, 'Nothing stands out in this plan.'));
    return section;
  }
  const list = element('ol', {});
  for (const f of d.findings) {
    const item = element('li', { className: `pl-finding pl-${f.severity}` });
    const go = button('', () => selectNode(f.pevNodeId));
    go.className = 'pl-finding-link';
    go.dataset.node = String(f.pevNodeId);
    go.title = `Show node #${f.pevNodeId} in the plan`;
    go.append(element('span', { className: 'pl-kind' }, f.kind), withCode(element('span', { className: 'pl-message' }), f.message));
    if (f.label) go.append(element('span', { className: 'pl-node' }, `#${f.pevNodeId} ${f.label}`));
    item.append(go);
    list.append(item);
  }
  section.append(list);
  return section;
}

/** PEV2 follows `#plan/node/N`: it selects node N, opens its details and centres it. */
function selectNode(id: number): void {
  const target = `#plan/node/${id}`;
  if (location.hash === target) {
    // Same node again (the user panned away): clear first so PEV2 sees a change.
    history.replaceState(null, '', '#plan');
  }
  location.hash = target;
  document.getElementById('pev2')?.scrollIntoView({ block: 'start' });
}

/** Bootstrap's dark or light palette with VS Code's theme, kept in step when the theme changes. */
function followTheme(): void {
  const apply = (): void => {
    const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
    document.documentElement.setAttribute('data-bs-theme', dark && !document.body.classList.contains('vscode-high-contrast-light') ? 'dark' : 'light');
  };
  apply();
  new MutationObserver(apply).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/**
 * Tells the extension what PEV2 drew: how many nodes, and for how many findings the node with the
 * finding's id is of the finding's node type (PEV2 may rename a type, e.g. `HashAggregate`, so the
 * type's last word is compared). The extension's tests wait for this.
 */
function reportWhenDrawn(): void {
  let tries = 0;
  const check = (): void => {
    const drawn = [...document.querySelectorAll<HTMLElement>('#pev2 .plan-node')];
    if (!drawn.length && ++tries <= 100) {
      setTimeout(check, 50);
      return;
    }
    const onTheirNodes = data.findings.filter((f) => {
      const node = drawn.find((el) => new RegExp(`#${f.pevNodeId}\\b`).test(el.textContent ?? ''));
      const word = f.nodeType.split(' ').pop() ?? '';
      return node !== undefined && (node.textContent ?? '').includes(word);
    }).length;
    vscode.postMessage({ type: 'rendered', nodes: drawn.length, findings: data.findings.length, findingsOnTheirNodes: onTheirNodes });
  };
  setTimeout(check, 0);
}

/** Text with `code` spans, as the engine writes its messages, shown with <code> elements. */
function withCode<E extends HTMLElement>(target: E, text: string): E {
  text.split('`').forEach((part, i) => {
    if (!part) return;
    target.append(i % 2 ? element('code', {}, part) : document.createTextNode(part));
  });
  return target;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = element('button', { className: 'pl-button', type: 'button' }, label);
  b.addEventListener('click', onClick);
  return b;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Pick<HTMLElement, 'id' | 'className' | 'role' | 'ariaLabel'>> & { type?: string },
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.id) e.id = props.id;
  if (props.className) e.className = props.className;
  if (props.role) e.setAttribute('role', props.role);
  if (props.ariaLabel) e.setAttribute('aria-label', props.ariaLabel);
  if (props.type) e.setAttribute('type', props.type);
  if (text) e.textContent = text;
  return e;
}
