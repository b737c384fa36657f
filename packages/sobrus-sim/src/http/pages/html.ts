const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A JSON value safe to embed in an inline script. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: sans-serif; margin: 2rem; color: #223; }
.sob-v2-table { border-collapse: collapse; width: 100%; }
.sob-v2-table th, .sob-v2-table td { border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; }
.sob-v2-table tbody tr { cursor: pointer; }
.sob-v2-table-pagination { display: flex; gap: .5rem; align-items: center; margin-top: 1rem; }
.sob-v2-TablePage__disabled { opacity: .4; cursor: default; }
.alert-danger { color: #a00; margin: .5rem 0; }
.hidden { display: none; }
</style>
</head>
<body>
${body}
${script ? `<script>${script}</script>` : ''}
</body>
</html>`;
}
