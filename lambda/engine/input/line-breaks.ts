// Line counting that matches what an editor shows: "\r\n", "\n" and a lone "\r" are one break each.

export function countLineBreaks(text: string): number {
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return 0;
  let breaks = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) breaks++;
    else if (code === 13) {
      breaks++;
      if (text.charCodeAt(index + 1) === 10) index++;
    }
  }
  return breaks;
}
