import { describe, expect, it } from 'vitest';
import { portInUseMessage } from './port-in-use.ts';

describe('portInUseMessage', () => {
  it('names the variable for a taken port, and nothing for other errors', () => {
    const taken = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8000'), { code: 'EADDRINUSE' });
    expect(portInUseMessage(taken, 'PORT', 8000)).toBe('Port 8000 is already in use: set PORT to a free port (in .env or the environment).');
    expect(portInUseMessage(Object.assign(new Error('denied'), { code: 'EACCES' }), 'PORT', 80)).toBeUndefined();
    expect(portInUseMessage('EADDRINUSE', 'PORT', 8000)).toBeUndefined();
    expect(portInUseMessage(undefined, 'PORT', 8000)).toBeUndefined();
  });
});
