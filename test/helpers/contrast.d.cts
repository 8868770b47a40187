export interface LowContrastText { text: string; ratio: number; color?: string; tag?: string }
/** Visible texts under `selector` whose WCAG contrast ratio is below `min` (runs in the page). */
export function lowContrastTexts(options: { selector: string; min: number }): LowContrastText[];
export function lowContrastTexts(element: Element, options: { selector: string; min: number }): LowContrastText[];
