// Report the first frame, exactly as Tandem's UI does after mounting.
requestAnimationFrame(() => window.__TAURI__.core.invoke("app_ready"));
