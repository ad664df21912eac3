/**
 * Jira wiki markup (descriptions in Jira's CSV export) → the Markdown the description
 * editor shows: headings, bullet and numbered lists, *bold*, _italic_, {{monospace}},
 * {code}/{noformat} blocks, [links|url], quotes and tables. Anything else passes as text.
 */

function inline(text: string): string {
  // Protect {{monospace}} first so its content is left alone.
  const codes: string[] = [];
  let out = text.replace(/\{\{(.+?)\}\}/g, (_m, code: string) => {
    codes.push(code);
    return `\u0000${codes.length - 1}\u0000`;
  });
  out = out
    // [text|url] and [url]
    .replace(/\[([^\]|\n]+)\|([^\]\n]+)\]/g, (_m, label: string, url: string) => `[${label.trim()}](${url.trim()})`)
    .replace(/\[((?:https?|mailto):[^\]\s]+)\]/g, (_m, url: string) => `<${url}>`)
    // *bold* → **bold**; _italic_ → *italic* (word boundaries as Jira has them)
    .replace(/(^|[\s(])\*(\S(?:[^*\n]*\S)?)\*(?=$|[\s).,:;!?])/g, (_m, pre: string, body: string) => `${pre}**${body}**`)
    .replace(/(^|[\s(])_(\S(?:[^_\n]*\S)?)_(?=$|[\s).,:;!?])/g, (_m, pre: string, body: string) => `${pre}*${body}*`)
    .replace(/(^|[\s(])-(\S(?:[^-\n]*\S)?)-(?=$|[\s).,:;!?])/g, (_m, pre: string, body: string) => `${pre}~~${body}~~`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks the protected spans
  return out.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => `\`${codes[Number(i)]}\``);
}

function tableRow(line: string): string {
  const header = line.startsWith('||');
  const cells = line
    .replace(/^\|\|?/, '')
    .replace(/\|\|?\s*$/, '')
    .split(header ? '||' : '|')
    .map((c) => inline(c.trim()));
  const row = `| ${cells.join(' | ')} |`;
  return header ? `${row}\n|${cells.map(() => ' --- |').join('')}` : row;
}

export function jiraWikiToMarkdown(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | null = null; // inside {code} or {noformat}
  let quote = false;
  for (const line of lines) {
    if (fence !== null) {
      const close = line.indexOf(fence);
      if (close >= 0) {
        if (close > 0) out.push(line.slice(0, close));
        out.push('```');
        const rest = line.slice(close + fence.length).trim();
        fence = null;
        if (rest) out.push(inline(rest));
      } else out.push(line);
      continue;
    }
    const code = /^\s*\{(code|noformat)(?::([^}|]*))?[^}]*\}(.*)$/.exec(line);
    if (code) {
      const tag = `{${code[1]}}`;
      const lang = code[1] === 'code' && code[2] && !code[2].includes('=') ? code[2].trim() : '';
      const rest = code[3] ?? '';
      const close = rest.indexOf(tag);
      if (close >= 0) {
        out.push(`\`\`\`${lang}`, rest.slice(0, close), '```');
        continue;
      }
      out.push(`\`\`\`${lang}`);
      if (rest.trim()) out.push(rest);
      fence = tag;
      continue;
    }
    if (/^\s*\{quote\}\s*$/.test(line)) {
      quote = !quote;
      continue;
    }
    let md: string;
    const heading = /^\s*h([1-6])\.\s+(.*)$/.exec(line);
    const list = /^\s*([*#-]+)\s+(.*)$/.exec(line);
    if (heading) md = `${'#'.repeat(Number(heading[1]))} ${inline(heading[2]!)}`;
    else if (/^\s*bq\.\s+/.test(line)) md = `> ${inline(line.replace(/^\s*bq\.\s+/, ''))}`;
    else if (list && /^(\*+|#+|-)$/.test(list[1]!)) {
      const marks = list[1]!;
      const depth = marks.length - 1;
      const bullet = marks.endsWith('#') ? '1.' : '-';
      md = `${'   '.repeat(depth)}${bullet} ${inline(list[2]!)}`;
    } else if (/^\s*\|/.test(line)) md = tableRow(line.trim());
    else if (/^\s*----\s*$/.test(line)) md = '---';
    else md = inline(line);
    out.push(quote ? `> ${md}` : md);
  }
  if (fence !== null) out.push('```');
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
