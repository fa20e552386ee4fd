import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRubrics } from '../src/grading/rubrics.js';
import { RUBRICS_DIR } from '../src/start.js';

const star = readFileSync(join(RUBRICS_DIR, 'star.yaml'), 'utf8');
function dirWith(name: string, content: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rubrics-'));
  writeFileSync(join(dir, name), content);
  return dir;
}

describe('rubric files', () => {
  it('loads the five shipped rubrics with weighted criteria, levels and probes', () => {
    const rubrics = loadRubrics(RUBRICS_DIR);
    expect([...rubrics.keys()].sort()).toEqual(['coding', 'company', 'star', 'system-design', 'technical']);
    for (const r of rubrics.values()) {
      expect(r.criteria.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 5);
      for (const c of r.criteria) {
        expect(c.levels[1] && c.levels[3] && c.levels[5]).toBeTruthy();
        expect(c.probes.length).toBeGreaterThan(0);
      }
    }
    expect(rubrics.get('star')!.criteria.map((c) => c.id)).toEqual([
      'situation_task',
      'action',
      'result',
      'leadership_principles',
      'reflection',
    ]);
  });

  it('names the file and the field when a criterion lacks a level', () => {
    const dir = dirWith('star.yaml', star.replace(/\n      5: A specific situation.*\n/, '\n'));
    expect(() => loadRubrics(dir)).toThrow(/star\.yaml: field "criteria\.0\.levels\.5"/);
  });

  it('names the file when weights do not add up to 1', () => {
    const dir = dirWith('star.yaml', star.replace('weight: 0.35', 'weight: 0.5'));
    expect(() => loadRubrics(dir)).toThrow(/star\.yaml: field "criteria": weights must add up to 1/);
  });

  it('names the file when the YAML does not parse', () => {
    const dir = dirWith('star.yaml', 'id: star\ncriteria: [\n');
    expect(() => loadRubrics(dir)).toThrow(/star\.yaml: not valid YAML/);
  });

  it('names the file when the id does not match the file name', () => {
    const dir = dirWith('behavioural.yaml', star);
    expect(() => loadRubrics(dir)).toThrow(/behavioural\.yaml: field "id": must match the file name/);
  });

  it('names the field of a wrongly typed weight', () => {
    const dir = dirWith('star.yaml', star.replace('weight: 0.35', 'weight: heavy'));
    expect(() => loadRubrics(dir)).toThrow(/star\.yaml: field "criteria\.1\.weight"/);
  });
});
