import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import 'uplot/dist/uPlot.min.css';
import './custom.css';
import Playground from './components/Playground.vue';
import ConformanceCheck from './components/ConformanceCheck.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('Playground', Playground);
    app.component('ConformanceCheck', ConformanceCheck);
  },
} satisfies Theme;
