import { describe, expect, it } from 'vitest';
import { parseProviderFolders } from './provider-folders.js';
import { planTree, TreeSpecError } from './tree-spec.js';

const providers = parseProviderFolders('Сети=Сеть,Дистрибьюторы=Дистрибьютор')!;

describe('planTree', () => {
  it('expands providers × years × months × clients × report types, accepting folder or provider names', () => {
    const plan = planTree(
      {
        years: [2025],
        months: [6, 5, 6],
        providers: [
          { folder: 'Сети', clients: ['A', 'B'], reportTypes: ['Продажи'] },
          { folder: 'Дистрибьютор', clients: ['C'], reportTypes: ['Продажи', 'Остатки'] },
        ],
      },
      providers,
    );
    expect(plan.folders).toHaveLength(2 * 2 + 2 * 2);
    expect(plan.folders).toContain('Сети/2025/05/A/Продажи');
    expect(plan.folders).toContain('Дистрибьюторы/2025/06/C/Остатки');
    expect(plan.expected).toContainEqual({
      dataProvider: 'Дистрибьютор',
      clientName: 'C',
      reportType: 'Остатки',
      reportYear: 2025,
      reportMonth: 6,
    });
  });

  it('defaults to all twelve months', () => {
    const plan = planTree(
      { years: [2025], providers: [{ folder: 'Сети', clients: ['A'], reportTypes: ['x'] }] },
      providers,
    );
    expect(plan.folders).toHaveLength(12);
  });

  it.each([
    [{ folder: 'Прочее', clients: ['A'], reportTypes: ['x'] }, /not a configured provider folder/],
    [{ folder: 'Сети', clients: ['a/b'], reportTypes: ['x'] }, /not allowed/],
    [{ folder: 'Сети', clients: ['..'], reportTypes: ['x'] }, /blank/],
    [{ folder: 'Сети', clients: ['A'], reportTypes: ['  '] }, /blank/],
  ])('refuses %j', (provider, message) => {
    expect(() => planTree({ years: [2025], providers: [provider] }, providers)).toThrow(TreeSpecError);
    expect(() => planTree({ years: [2025], providers: [provider] }, providers)).toThrow(message);
  });
});
