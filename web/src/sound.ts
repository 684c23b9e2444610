// A distinct sound per scan outcome, made with WebAudio (no audio files): the desk hears what to
// do before looking up. Shelve: one low tone. Holds shelf: two rising tones. Send on: three
// falling tones. A refusal or error: a low buzz.

export type Cue = 'shelve' | 'holds-shelf' | 'transit' | 'error' | 'ok';

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume();
  return context;
}

const tunes: Record<Cue, { freq: number; ms: number; wave: OscillatorType }[]> = {
  shelve: [{ freq: 523, ms: 160, wave: 'sine' }],
  'holds-shelf': [
    { freq: 659, ms: 130, wave: 'sine' },
    { freq: 988, ms: 200, wave: 'sine' },
  ],
  transit: [
    { freq: 988, ms: 110, wave: 'triangle' },
    { freq: 784, ms: 110, wave: 'triangle' },
    { freq: 587, ms: 180, wave: 'triangle' },
  ],
  error: [{ freq: 150, ms: 420, wave: 'square' }],
  ok: [{ freq: 880, ms: 90, wave: 'sine' }],
};

export function play(cue: Cue, enabled = true): void {
  if (!enabled) return;
  const ctx = audio();
  if (!ctx) return;
  let at = ctx.currentTime + 0.01;
  for (const note of tunes[cue]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = note.wave;
    osc.frequency.value = note.freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(cue === 'error' ? 0.12 : 0.25, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + note.ms / 1000);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + note.ms / 1000 + 0.02);
    at += note.ms / 1000 + 0.04;
  }
}
