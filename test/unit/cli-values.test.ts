import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parseOptionWords } from '../../lib/cli/values.js';

describe('parseOptionWords', () => {
  it('takes camelCase, sysfs and ip names and converts values', () => {
    expect(parseOptionWords(['miimon=100', 'xmit_hash_policy=layer3+4', 'arpIpTarget=10.0.0.1,+10.0.0.2', 'all_slaves_active=on', 'mode=1', 'peer_notify_delay=200', 'num_unsol_na=3'])).toEqual({
      miimon: 100,
      xmitHashPolicy: 'layer3+4',
      arpIpTarget: ['10.0.0.1', '10.0.0.2'],
      allSlavesActive: true,
      mode: 1,
      peerNotifDelay: 200,
      numGratArp: 3,
    });
  });

  it('refuses unknown keys and words without =', () => {
    expect(() => parseOptionWords(['miimom=100'])).toThrow(ValidationError);
    expect(() => parseOptionWords(['miimon'])).toThrow(ValidationError);
  });
});
