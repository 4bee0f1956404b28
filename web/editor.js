// The editor of the workbench page: CodeMirror 6 with LaTeX highlighting, bundled by esbuild
// into one file (src/papermath/serve/static/vendor/codemirror.js) so the page works offline.
import { EditorView, basicSetup } from "codemirror";
import { Decoration, hoverTooltip, keymap } from "@codemirror/view";
import { StateEffect, StateField } from "@codemirror/state";
import { latex } from "codemirror-lang-latex";

window.CM = { EditorView, basicSetup, Decoration, hoverTooltip, keymap, StateEffect, StateField, latex };
