import { wav } from '../../bench/support/wav.js';

/**
 * A WAV file Chromium's fake microphone plays in a loop: a voice-like tone whose loudness rises
 * and falls like syllables, with a quiet gap (16 kHz mono, 16-bit).
 */
export function speechLikeWav(seconds = 4): Buffer {
  return wav((t) => {
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t)); // four "syllables" a second
    const gap = t % 2 > 1.6 ? 0 : 1;
    return 0.5 * syllable * gap * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t));
  }, seconds);
}
