/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
export function progressBar(stream: NodeJS.WriteStream, label: string): (done: number, total: number, detail: string) => void {
  let lastTenth = -1;
  return (done, total, detail) => {
    const fraction = total > 0 ? Math.min(done / total, 1) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const text = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${detail}`;
    if (stream.isTTY) {
      stream.write(`\r${text}${fraction >= 1 ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      stream.write(`${text}\n`);
    }
  };
}
