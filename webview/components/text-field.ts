/** A single-line text input (toolkit `vscode-text-field`). */
import { custom } from '../dom';

export interface TextField {
  element: HTMLElement;
  readonly value: string;
  setValue(value: string): void;
  focus(): void;
}

export function textField(options: { label: string; placeholder?: string; value?: string; onInput(value: string): void; name?: string }): TextField {
  const element = custom('vscode-text-field', {
    attrs: { placeholder: options.placeholder, 'aria-label': options.label, 'data-field': options.name },
  });
  (element as HTMLInputElement).value = options.value ?? '';
  element.addEventListener('input', () => options.onInput((element as HTMLInputElement).value ?? ''));
  return {
    element,
    get value() { return (element as HTMLInputElement).value ?? ''; },
    setValue(value) { (element as HTMLInputElement).value = value; },
    focus() { element.focus(); },
  };
}
