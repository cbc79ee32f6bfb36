using Monitor.Cli;

return await MonitorCommandLine.InvokeAsync(args);
