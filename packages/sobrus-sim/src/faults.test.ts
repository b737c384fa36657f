import { describe, expect, it } from 'vitest';
import { FaultController, parseFaultSettings } from './faults.js';

describe('FaultController', () => {
  it('fails an exact, counter-based share of requests', () => {
    const faults = new FaultController({ http500Rate: 0.25 });
    const decisions = Array.from({ length: 12 }, () => faults.decideFailure('statement'));
    expect(decisions).toEqual([null, null, null, 500, null, null, null, 500, null, null, null, 500]);
  });

  it('only touches the routes it is set for', () => {
    const faults = new FaultController({ http502Rate: 1 });
    expect(faults.decideFailure('app')).toBeNull();
    expect(faults.decideFailure('customers')).toBe(502);
    faults.set({ dropRate: 1, errorRoutes: ['app'] });
    expect(faults.decideFailure('statement')).toBeNull();
    expect(faults.decideFailure('app')).toBe('drop');
  });

  it('lets an account override global settings field by field', () => {
    const faults = new FaultController({ latencyMs: { all: 10, statement: 50 }, listPageSize: 5 });
    faults.set({ latencyMs: { statement: 200 } }, 'Pharmacie01@sim.test');
    expect(faults.latencyFor('statement', 'pharmacie01@sim.test')).toBe(200);
    expect(faults.latencyFor('customers', 'pharmacie01@sim.test')).toBe(10);
    expect(faults.latencyFor('statement', 'pharmacie02@sim.test')).toBe(50);
    expect(faults.effective('pharmacie01@sim.test').listPageSize).toBe(5);
    faults.clear();
    expect(faults.latencyFor('statement', 'pharmacie01@sim.test')).toBe(0);
  });

  it('matches customers by id or wildcard', () => {
    const faults = new FaultController();
    expect(faults.appliesTo(['42'], '42')).toBe(true);
    expect(faults.appliesTo(['*'], '7')).toBe(true);
    expect(faults.appliesTo(['42'], '7')).toBe(false);
    expect(faults.appliesTo(undefined, '7')).toBe(false);
  });

  it('rejects invalid settings with the path', () => {
    expect(() => parseFaultSettings({ http500Rate: 2 })).toThrow(/http500Rate/);
    expect(() => parseFaultSettings({ unknownKnob: true })).toThrow(/invalid fault settings/);
  });
});
