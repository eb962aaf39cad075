// The wink packages ship no types: the parts this project uses.
declare module 'wink-naive-bayes-text-classifier' {
  interface NaiveBayesTextClassifier {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    definePrepTasks(tasks: ((input: string | string[]) => string[])[]): number;
    learn(input: string, label: string): boolean;
    consolidate(): boolean;
    /** [label, log2 odds] pairs, best first; [['unknown', 0]] when no token is known. */
    computeOdds(input: string | string[]): [string, number][];
    exportJSON(): string;
    importJSON(json: string): boolean;
    stats(): { labelWiseSamples: Record<string, number>; vocabulary: number };
  }
  function createClassifier(): NaiveBayesTextClassifier;
  export = createClassifier;
}

declare module 'wink-nlp-utils' {
  const nlp: {
    string: { tokenize0(text: string): string[] };
    tokens: { removeWords(tokens: string[]): string[]; stem(tokens: string[]): string[] };
  };
  export = nlp;
}
