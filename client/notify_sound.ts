/**
 * An optional soft chime for incoming messages, made with Web Audio (no sound file to fetch). It
 * plays only while the page is not focused: someone looking at the chat does not need it.
 */
let audio: AudioContext | null = null;
/**
 * Kept for this page only: nothing but the seat credential and identity is written to storage, so
 * each visit starts with sound off.
 */
let soundOn = false;

export function soundPreference(): boolean {
  return soundOn;
}

/** Sets the choice; turning it on (a click) is also when the browser lets audio start. */
export function setSoundPreference(on: boolean): void {
  soundOn = on;
  if (on) {
    audio ??= new AudioContext();
    void audio.resume();
  }
}

/** Plays the chime when the page is not focused and sound is on (or `always`: a call rings). */
export function chimeForIncoming(always = false): void {
  if ((!always && !soundPreference()) || document.hasFocus()) return;
  audio ??= new AudioContext();
  const now = audio.currentTime;
  for (const [index, frequency] of [660, 880].entries()) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = frequency;
    const start = now + index * 0.12;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.12, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
    tone.connect(gain).connect(audio.destination);
    tone.start(start);
    tone.stop(start + 0.4);
  }
}
