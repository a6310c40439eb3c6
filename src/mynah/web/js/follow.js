// Which of `items` ({start, end} in seconds, sorted by start; the array may grow while it plays)
// the audio is at, told to `onChange(index)` whenever it changes: every frame while it plays,
// and on every seek. -1 between items.

const LINGER = 0.2; // a word stays lit through the short gap before the next one

export function follow(audio, items, onChange) {
  let current = -2;
  let frame = 0;
  const at = (time) => {
    let lo = 0;
    let hi = items.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].start <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && time <= items[found].end + LINGER ? found : -1;
  };
  const update = () => {
    const index = audio.ended ? -1 : at(audio.currentTime);
    if (index !== current) {
      current = index;
      onChange(index, audio.currentTime);
    }
  };
  const tick = () => {
    update();
    frame = !audio.paused && !audio.ended ? requestAnimationFrame(tick) : 0;
  };
  const start = () => {
    if (!frame) frame = requestAnimationFrame(tick);
  };
  const events = { playing: start, play: start, seeked: update, timeupdate: update, ended: update, pause: update };
  for (const [name, handler] of Object.entries(events)) audio.addEventListener(name, handler);
  return {
    stop() {
      cancelAnimationFrame(frame);
      for (const [name, handler] of Object.entries(events)) audio.removeEventListener(name, handler);
    },
  };
}
