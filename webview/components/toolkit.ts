/**
 * The only module that imports @vscode/webview-ui-toolkit (archived upstream). Every toolkit
 * element the dashboard uses is created by a function in webview/components/, so replacing the
 * toolkit means rewriting these few files, not the views.
 */
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeProgressRing, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeProgressRing(), vsCodeTextField());
}
