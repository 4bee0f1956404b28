// The workbench page: an editor for the LaTeX; every pane updated from /api/analyse as you
// type (debounced); the state in the URL (?src=...&dims=...&values=...) so a link opens it.
"use strict";

const DEBOUNCE_MS = 250;
const $ = (id) => document.getElementById(id);
let last = null;          // the last good analysis
let timer = null;
let sequence = 0;         // answers older than the newest request are dropped
let batch = "sample-first";
let target = "numpy";
let valuesEdited = false; // the user typed values: send them; else the server proposes some

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
function texSpan(latex, display) {
  return `<span class="${display ? "display" : "inline"}" data-tex="${escapeHtml(latex)}"></span>`;
}
const typesetCache = new Map();  // most of the math is the same from one keystroke to the next
function typeset(root) {
  root.querySelectorAll("[data-tex]").forEach((el) => {
    const display = el.classList.contains("display");
    const key = (display ? "D" : "I") + el.getAttribute("data-tex");
    let out = typesetCache.get(key);
    if (out === undefined) {
      out = katex.renderToString(el.getAttribute("data-tex"), {displayMode: display, throwOnError: false});
      if (typesetCache.size > 5000) typesetCache.clear();
      typesetCache.set(key, out);
    }
    el.innerHTML = out;
    el.classList.add("typeset");
  });
}

// ---- the editor: CodeMirror 6, with highlights of source spans and hover tooltips ---------
const setMarks = CM.StateEffect.define();
const marks = CM.StateField.define({
  create() { return CM.Decoration.none; },
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setMarks)) deco = e.value;
    return deco;
  },
  provide: (f) => CM.EditorView.decorations.from(f),
});

function markRanges(ranges, cls) {
  const len = view.state.doc.length;
  const ok = ranges.map(([a, b]) => [Math.max(0, Math.min(a, len)), Math.max(0, Math.min(b, len))])
    .filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const deco = CM.Decoration.set(ok.map(([a, b]) => CM.Decoration.mark({class: cls}).range(a, b)));
  view.dispatch({effects: setMarks.of(deco)});
}
function clearMarks() { view.dispatch({effects: setMarks.of(CM.Decoration.none)}); }

// the innermost term whose span holds the position: what hovering it shows
function termAt(pos) {
  if (!last) return null;
  let best = null;
  for (const t of last.terms) {
    if (t.start <= pos && pos < t.end && (!best || t.end - t.start < best.end - best.start)) best = t;
  }
  return best;
}

const hover = CM.hoverTooltip((v, pos) => {
  const t = termAt(pos);
  if (!t) return null;
  return {
    pos: t.start, end: t.end, above: false,
    create() {
      const dom = document.createElement("div");
      dom.className = "pm-tip";
      dom.innerHTML = `<span class="shape">${escapeHtml(t.shape)}</span>` +
        (t.kind ? ` · ${escapeHtml(t.kind)}` : "") +
        ` · <b>${escapeHtml(t.what)}</b>` + (t.why ? `<br>${escapeHtml(t.why)}` : "");
      // the editor is mid-update here: highlight (and later clear) just after it
      setTimeout(() => markRanges([[t.start, t.end]], "cm-pm-highlight"), 0);
      return {dom, destroy() { setTimeout(clearMarks, 0); }};
    },
  };
}, {hoverTime: 150});

const view = new CM.EditorView({
  doc: "",
  extensions: [
    CM.basicSetup, CM.latex({enableLinting: false, enableTooltips: false}), marks, hover, CM.EditorView.lineWrapping,
    CM.EditorView.updateListener.of((u) => { if (u.docChanged) schedule(); }),
  ],
  parent: $("editor"),
});
window.workbench = {view};  // for tests and the console

// ---- requests ----------------------------------------------------------------------------
function request() {
  return {
    src: view.state.doc.toString(),
    dims: $("dims").value,
    values: valuesEdited ? $("values").value : "",
    wrt: $("wrt").value || undefined,
    layout: $("layout").value,
  };
}

function schedule() {
  clearTimeout(timer);
  document.body.dataset.state = "typing";
  timer = setTimeout(update, DEBOUNCE_MS);
}

async function update() {
  const mine = ++sequence;
  const body = request();
  syncUrl(body);
  document.body.dataset.state = "busy";
  const started = performance.now();
  let data;
  try {
    const res = await fetch("/api/analyse", {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
    });
    data = await res.json();
  } catch (err) {
    data = {ok: false, error: {kind: "network error", message: String(err)}};
  }
  if (mine !== sequence) return;  // a newer request is on its way
  if (data.ok) show(data); else showError(data.error);
  const ms = Math.round(performance.now() - started);  // request, answer, panes drawn
  $("status").textContent = data.ok ? `updated in ${ms} ms` : "";
  document.body.dataset.state = data.ok ? "ready" : "error";
  document.body.dataset.updates = String(Number(document.body.dataset.updates) + 1);
  document.body.dataset.ms = String(ms);
}

function syncUrl(body) {
  const q = new URLSearchParams();
  q.set("src", body.src);
  if (body.dims) q.set("dims", body.dims);
  if (body.values) q.set("values", body.values);
  if (body.wrt) q.set("wrt", body.wrt);
  if (body.layout !== "denominator") q.set("layout", body.layout);
  history.replaceState(null, "", "/?" + q.toString());
}

// ---- showing an answer -------------------------------------------------------------------
function showError(err) {
  const box = $("error");
  box.hidden = false;
  const where = err.line ? `line ${err.line}, column ${err.column}: ` : "";
  box.innerHTML = `<b>${escapeHtml(err.kind || "error")}</b>: ${escapeHtml(where + err.message)}` +
    (err.caret ? `\n${escapeHtml(err.caret)}` : "") +
    (err.hint ? `\n<span class="hint">hint: ${escapeHtml(err.hint)}</span>` : "");
  if (err.start !== undefined && err.where === undefined) {
    const len = view.state.doc.length;  // an error at the end of the input marks its last char
    const a = Math.max(0, Math.min(err.start, len - 1));
    markRanges([[a, Math.max(err.end, a + 1)]], "cm-pm-error");
  }
  document.querySelectorAll(".pane").forEach((p) => p.classList.add("stale"));
}

function show(d) {
  last = d;
  $("error").hidden = true;
  clearMarks();
  document.querySelectorAll(".pane").forEach((p) => p.classList.remove("stale"));
  $("equations").innerHTML = d.equations.map((e) =>
    `<div class="eq" data-start="${e.start}" data-end="${e.end}"><span class="lineno">line ${e.line}</span>${texSpan(e.tex, false)}</div>`).join("");
  $("shapes").innerHTML = "<tr><th>symbol</th><th>kind</th><th>shape</th><th>meaning</th></tr>" +
    d.symbols.map((s) => `<tr data-key="${escapeHtml(s.key)}"><td>${texSpan(s.tex)}</td><td>${escapeHtml(s.kind)}</td>` +
      `<td class="shape-cell" data-shape="${escapeHtml(s.shape)}">${texSpan(s.shape_tex)}</td><td class="note">${s.meaning_html || escapeHtml(s.meaning)}</td></tr>`).join("");
  $("solved").innerHTML = d.solved.map((s) =>
    `<p class="answer">Solved: ${texSpan(`${s.size} = ${s.value}`)}` +
    (s.line ? `, forced by line ${s.line}: ${s.equation_tex ? texSpan(s.equation_tex) : `<code>${escapeHtml(s.equation)}</code>`}` : "") + "</p>").join("");
  $("recurrence").textContent = d.recurrence || "";
  $("explanation").innerHTML = d.explanation_html;
  $("diagram").innerHTML = d.diagram_svg || `<p class="note">No diagram: ${escapeHtml(d.diagram_error || "")}</p>`;
  $("readings-count").textContent = `(${d.readings.length})`;
  $("readings").innerHTML = d.readings.map((r, i) =>
    `<div class="reading" data-i="${i}"><code>${escapeHtml(r.subject.slice(0, 48))}</code> ` +
    `<b>${escapeHtml(r.reading)}</b>: ${escapeHtml(r.reason)}</div>`).join("");
  if (!valuesEdited) $("values").value = d.values || "";
  const ve = $("values-error");  // an error in the values, or a note on what to type
  ve.hidden = !d.values_error && !d.values_note;
  ve.className = d.values_error ? "inline-error" : "note";
  ve.textContent = d.values_error ? (d.values_error.text || d.values_error.message) : (d.values_note || "");
  showGrads(d);
  showCode(d);
  typeset(document.getElementById("right"));
}

function showGrads(d) {
  const wrt = $("wrt");
  if (d.grad_choices) {
    wrt.innerHTML = d.grad_choices.map((k) => `<option${k === d.grad_wrt ? " selected" : ""}>${escapeHtml(k)}</option>`).join("");
  }
  if (!d.grads) {
    $("grads").innerHTML = `<p class="note">${escapeHtml(d.grad_error || "")}</p>`;
    return;
  }
  let g = d.grads[batch];
  let said = "";
  const other = batch === "sample-first" ? "dim-first" : "sample-first";
  const words = (b) => (b === "sample-first" ? "rows" : "columns");
  if (g.error && d.grads[other] && !d.grads[other].error) {
    // the layout chosen is not printed for this system: show the other, and say why
    said = `<p class="note">Samples as ${words(batch)}: ${escapeHtml(g.error)}. Shown with samples as ${words(other)}.</p>`;
    g = d.grads[other];
  }
  $("grads").innerHTML = g.error
    ? `<p class="note">No gradient equations: ${escapeHtml(g.error)}</p>`
    : said + g.equations.map((e) => `<div class="grad">${texSpan(e.tex, true)}<span class="note">shape ${texSpan(e.shape_tex)}</span></div>`).join("");
}

function showCode(d) {
  $("code").textContent = d.code ? d.code[target] : `No code: ${d.code_error || ""}`;
}

// ---- controls ----------------------------------------------------------------------------
function load(latex, dims, values, seed) {
  const q = $("question");  // a seed says the question it answers; anything else, nothing
  q.hidden = !seed;
  q.innerHTML = seed ? `<span class="asker">${escapeHtml(seed.title)}</span><b>${escapeHtml(seed.question)}</b>` +
    " <span class=\"note\">(the answers: Explanation, inside out)</span>" : "";
  $("dims").value = dims || "";
  $("values").value = values || "";
  valuesEdited = Boolean(values);
  view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: latex}});
  clearTimeout(timer);
  update();
}

$("dims").addEventListener("input", schedule);
$("values").addEventListener("input", () => { valuesEdited = $("values").value.trim() !== ""; schedule(); });
$("wrt").addEventListener("change", update);
$("layout").addEventListener("change", update);
document.querySelectorAll("#batch button").forEach((b) => b.addEventListener("click", () => {
  batch = b.dataset.batch;
  document.querySelectorAll("#batch button").forEach((x) => x.classList.toggle("on", x === b));
  if (last) { showGrads(last); typeset($("grads")); }
}));
document.querySelectorAll("#target button").forEach((b) => b.addEventListener("click", () => {
  target = b.dataset.target;
  document.querySelectorAll("#target button").forEach((x) => x.classList.toggle("on", x === b));
  if (last) showCode(last);
}));
$("diagram").addEventListener("click", () => $("pane-diagram").classList.toggle("full"));
document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") $("pane-diagram").classList.remove("full"); });
$("copy").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("code").textContent));
$("share").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(location.href));

// hovering a reading note, a symbol's row or an equation highlights its source
$("readings").addEventListener("mouseover", (ev) => {
  const row = ev.target.closest(".reading");
  if (row && last) { const r = last.readings[Number(row.dataset.i)]; markRanges([[r.start, r.end]], "cm-pm-highlight"); }
});
$("shapes").addEventListener("mouseover", (ev) => {
  const row = ev.target.closest("tr[data-key]");
  if (!row || !last) return;
  const key = row.dataset.key.replace("(.)", "");
  markRanges(last.terms.filter((t) => t.key === key).map((t) => [t.start, t.end]), "cm-pm-highlight");
});
$("equations").addEventListener("mouseover", (ev) => {
  const row = ev.target.closest(".eq");
  if (row) markRanges([[Number(row.dataset.start), Number(row.dataset.end)]], "cm-pm-highlight");
});
for (const id of ["readings", "shapes", "equations"]) $(id).addEventListener("mouseleave", clearMarks);

async function menus() {
  const res = await fetch("/api/catalog");
  const data = await res.json();
  for (const [id, list] of [["seeds", data.seeds], ["catalog", data.catalog]]) {
    const sel = $(id);
    for (const item of list) {
      const opt = document.createElement("option");
      opt.value = item.name;
      // a seed shows the question it answers, a catalog entry its name
      opt.textContent = item.question ? `${item.title.split(":")[0]}: ${item.question}` : item.title;
      opt.title = item.title;
      sel.appendChild(opt);
    }
    sel.addEventListener("change", () => {
      const item = list.find((x) => x.name === sel.value);
      if (item) load(item.latex, item.dims, item.values, item.question ? item : null);
      sel.value = "";
    });
  }
  return data;
}

(async function start() {
  const data = await menus();
  const q = new URLSearchParams(location.search);
  if (q.has("layout")) $("layout").value = q.get("layout");
  if (q.has("wrt")) $("wrt").innerHTML = `<option selected>${escapeHtml(q.get("wrt"))}</option>`;
  if (q.has("src")) {  // a link to a seed's text still says the question it answers
    const seed = data.seeds.find((x) => x.latex === q.get("src"));
    load(q.get("src"), q.get("dims"), q.get("values"), seed || null);
  }
  else load(data.seeds[0].latex, data.seeds[0].dims, data.seeds[0].values, data.seeds[0]);
})();
