/** Renders the stage graph (one node per stage, with its instance count) as Mermaid or DOT. */
import type { Dag } from './dag.js';

export function renderDag(dag: Dag, format: 'mermaid' | 'dot'): string {
  const stages = dag.pipeline.stages;
  const node = (name: string): string => `s_${name.replace(/[^\w]/g, '_')}`;
  const label = (name: string): string => {
    const stage = stages.find((s) => s.name === name)!;
    const count = dag.byStage.get(name)?.length ?? 0;
    const kind = stage.uses ?? 'shell';
    return `${name}\\n${kind} x${count}`;
  };
  const edges = stages.flatMap((stage) => stage.inputs.map((wire) => ({ from: wire.stage, to: stage.name, label: wire.many ? `${wire.name} [*]` : wire.name })));
  if (format === 'dot') {
    const lines = ['digraph pipeline {', '  rankdir=LR;', '  node [shape=box];'];
    for (const stage of stages) lines.push(`  ${node(stage.name)} [label="${label(stage.name)}"];`);
    for (const edge of edges) lines.push(`  ${node(edge.from)} -> ${node(edge.to)} [label="${edge.label}"];`);
    lines.push('}');
    return lines.join('\n');
  }
  const lines = ['flowchart LR'];
  for (const stage of stages) lines.push(`  ${node(stage.name)}["${label(stage.name).replace('\\n', '<br/>')}"]`);
  for (const edge of edges) lines.push(`  ${node(edge.from)} -->|${edge.label}| ${node(edge.to)}`);
  return lines.join('\n');
}
