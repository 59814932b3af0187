// Raw decoder messages become sentences, classed as damaged or unreadable; our own sentences stay.
import { describe, expect, it } from 'vitest';
import { explainFileError } from './explain-error';

describe('explainFileError', () => {
  it('rewrites raw JavaScript and decoder messages', () => {
    expect(explainFileError('Offset is outside the bounds of the DataView')).toEqual({
      status: 'damaged',
      message: 'damaged: the file ends before the data it declares (a length or offset inside it points past its end)',
    });
    expect(explainFileError('could not read: invalid distance too far back').status).toBe('damaged');
    expect(explainFileError("Cannot read properties of undefined (reading 'length')").message).toMatch(/^unreadable: the decoder could not make sense/);
  });

  it('keeps messages that already say what is wrong', () => {
    expect(explainFileError('damaged: CRC mismatch in IDAT chunk (byte 33)')).toEqual({ status: 'damaged', message: 'damaged: CRC mismatch in IDAT chunk (byte 33)' });
    expect(explainFileError('line 3: bad sampling frequency "x"')).toEqual({ status: 'unreadable', message: 'line 3: bad sampling frequency "x"' });
  });
});
