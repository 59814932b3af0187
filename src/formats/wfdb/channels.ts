// Which signals of a WFDB record are ECG leads: voltage channels (units mV, uV or V) are kept under
// their own names; pressure, pleth, heart-rate, respiration and other non-voltage channels, and null
// signals, are dropped with a note that names them. Only a record with no voltage channel is refused.
import type { WfdbSignal } from './header';

/** Millivolts per physical unit, or null when the units are not a voltage. */
export function unitScaleToMv(units: string): number | null {
  const u = units.trim().toLowerCase();
  if (u === 'mv') return 1;
  if (u === 'uv' || u === 'µv' || u === 'μv') return 1e-3;
  if (u === 'nv') return 1e-6;
  if (u === 'v') return 1e3;
  return null;
}

export const isNullSignal = (s: WfdbSignal) => s.format === 0 || s.fileName === '~';

export interface ChannelChoice {
  /** Indices (into header.signals) of the kept voltage channels. */
  kept: number[];
  /** Non-voltage channels, as "NAME (units)". */
  nonVoltage: string[];
  /** Null signals (format 0 or file "~"). */
  nullSignals: string[];
}

export function chooseChannels(signals: readonly WfdbSignal[]): ChannelChoice {
  const out: ChannelChoice = { kept: [], nonVoltage: [], nullSignals: [] };
  signals.forEach((s, i) => {
    if (isNullSignal(s)) out.nullSignals.push(s.description);
    else if (unitScaleToMv(s.units) === null) out.nonVoltage.push(`${s.description} (${s.units})`);
    else out.kept.push(i);
  });
  return out;
}

/** Notes for the item: what was dropped, by name. */
export function channelNotes(c: ChannelChoice): string[] {
  const notes: string[] = [];
  if (c.nonVoltage.length) notes.push(`non-voltage channels dropped: ${c.nonVoltage.join(', ')}`);
  if (c.nullSignals.length) notes.push(`null signals dropped: ${c.nullSignals.join(', ')}`);
  return notes;
}

/** The error for a record without any voltage channel, naming what it has. */
export function noVoltageMessage(signals: readonly WfdbSignal[]): string {
  const names = signals.map((s) => `${s.description} (${isNullSignal(s) ? 'null' : s.units})`);
  return `no voltage (ECG) channel: the record's channels are ${names.join(', ') || 'none'}`;
}
