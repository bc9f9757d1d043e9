using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// The request hot path's cost as numbers a noisy machine cannot fake (<c>dotnet run -c Release -- hotpath</c>, or
/// benchmarks/hotpath.sh): <see cref="MiddlewareBenchmarks"/> run several times; in each run every row is taken as a
/// difference from, and a ratio to, its category's baseline measured in the same run; over the runs each is reported
/// as its median with the range. Each category's baseline also runs a second time under another name, so the range of
/// that identical row's difference is the noise: a difference inside it is no difference. The budgets of issue 20 are
/// checked against the median, and against the worst run.
/// </summary>
internal static class HotPathReport
{
    // The rows of the hot path: each category's baseline, its noise twin, and what Clerk costs over them.
    private static readonly string[] Rows =
    [
        nameof(MiddlewareBenchmarks.ReturningBaseline), nameof(MiddlewareBenchmarks.ReturningBaselineAgain), nameof(MiddlewareBenchmarks.ReturningVisitor),
        nameof(MiddlewareBenchmarks.CookiePolicy), nameof(MiddlewareBenchmarks.CookiePolicyAgain), nameof(MiddlewareBenchmarks.ReturningVisitorWithCookiePolicy),
        nameof(MiddlewareBenchmarks.FirstVisitBaseline), nameof(MiddlewareBenchmarks.FirstVisitBaselineAgain), nameof(MiddlewareBenchmarks.NewVisitor),
        nameof(MiddlewareBenchmarks.Cookieless), nameof(MiddlewareBenchmarks.CookiePolicyUndecided), nameof(MiddlewareBenchmarks.CookielessWithCookiePolicy),
    ];

    // Issue 20's budgets: time and allocation over the baseline of the row's category.
    private static readonly Dictionary<string, (double Nanoseconds, long? Bytes)> Budgets = new()
    {
        [nameof(MiddlewareBenchmarks.ReturningVisitorWithCookiePolicy)] = (150, 48),
        [nameof(MiddlewareBenchmarks.NewVisitor)] = (1_000, null),
        [nameof(MiddlewareBenchmarks.Cookieless)] = (1_000, null),
        [nameof(MiddlewareBenchmarks.CookielessWithCookiePolicy)] = (1_000, null),
    };

    public static int Run(string[] args)
    {
        var runs = 3;
        var output = "BenchmarkDotNet.Artifacts/hotpath-report.md";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs":
                    runs = int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "--output":
                    output = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}': --runs N (3 or more for a spread), --output FILE.");
            }
        }

        if (runs < 1)
        {
            throw new ArgumentException("--runs must be at least 1.");
        }

        var measured = new List<Dictionary<string, Row>>();
        for (var run = 1; run <= runs; run++)
        {
            // Rows measured later in a process run slower here (the noise twins, always measured after their
            // baseline, came out 90–210 ns slower in the medians of two sets of runs): every other run goes backwards.
            var reversed = run % 2 == 0;
            Console.WriteLine($"hotpath: run {run} of {runs}{(reversed ? ", rows in reverse order" : "")}");
            measured.Add(RunOnce(reversed));
        }

        var report = Format(measured, runs);
        Console.WriteLine();
        Console.WriteLine(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report);
        Console.WriteLine($"hotpath: report in {Path.GetFullPath(output)}");
        return 0;
    }

    private static Dictionary<string, Row> RunOnce(bool reversed)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(5)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(250));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(BenchmarkDotNet.Loggers.NullLogger.Instance)
            .AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => Rows.Contains(name)))
            .WithOrderer(new ExecutionOrder(reversed))
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
        var summary = BenchmarkRunner.Run<MiddlewareBenchmarks>(config);

        var rows = new Dictionary<string, Row>();
        foreach (var report in summary.Reports)
        {
            var descriptor = report.BenchmarkCase.Descriptor;
            if (report.ResultStatistics is not { } statistics)
            {
                throw new InvalidOperationException($"{descriptor.WorkloadMethod.Name} did not run: see BenchmarkDotNet's output.");
            }

            rows[descriptor.WorkloadMethod.Name] = new Row(
                descriptor.WorkloadMethodDisplayInfo,
                descriptor.Categories.Single(),
                descriptor.Baseline,
                statistics.Median,
                report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0);
        }

        return rows;
    }

    private static string Format(List<Dictionary<string, Row>> runs, int count)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hot path: {count} run(s) of MiddlewareBenchmarks, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine("Each row against its category's baseline in the same run; medians over the runs, [min–max] the range.");
        text.AppendLine();
        text.AppendLine("| category | row | baseline, ns | row, ns | over the baseline, ns | ratio | allocated over the baseline | noise (the baseline's twin), ns | verdict |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");

        foreach (var category in runs[0].Values.Select(r => r.Category).Distinct().Order(StringComparer.Ordinal))
        {
            var baseline = runs[0].Single(r => r.Value.Category == category && r.Value.IsBaseline).Key;
            var twin = runs[0].Keys.FirstOrDefault(k => runs[0][k].Category == category && k == baseline + "Again");
            var noise = twin is null ? null : runs.Select(r => r[twin].Median - r[baseline].Median).ToArray();
            foreach (var name in runs[0].Keys.Where(k => runs[0][k].Category == category && !runs[0][k].IsBaseline))
            {
                var over = runs.Select(r => r[name].Median - r[baseline].Median).ToArray();
                var ratio = runs.Select(r => r[name].Median / r[baseline].Median).ToArray();
                var bytes = runs.Select(r => r[name].Bytes - r[baseline].Bytes).ToArray();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {category} | {runs[0][name].Display} | {Median(runs.Select(r => r[baseline].Median)):N0} | {Median(runs.Select(r => r[name].Median)):N0} | {Spread(over, "N0")} | {Spread(ratio, "N2")} | {Spread(bytes.Select(b => (double)b).ToArray(), "N0")} B | {(noise is null ? "–" : Spread(noise, "N0"))} | {Verdict(name, over, bytes, noise)} |");
            }
        }

        return text.ToString();
    }

    private static string Verdict(string name, double[] over, long[] bytes, double[]? noise)
    {
        var parts = new List<string>();
        if (noise is not null)
        {
            var floor = noise.Max(Math.Abs);
            parts.Add(over.Min() > floor ? "above the noise" : over.Max() < -floor ? "below the baseline, beyond the noise" : "inside the noise");
        }

        if (Budgets.TryGetValue(name, out var budget))
        {
            var time = Median(over) <= budget.Nanoseconds
                ? over.Max() <= budget.Nanoseconds ? $"≤ {budget.Nanoseconds:N0} ns: met in every run" : $"≤ {budget.Nanoseconds:N0} ns: met by the median, not in every run"
                : $"≤ {budget.Nanoseconds:N0} ns: NOT met";
            parts.Add(time);
            if (budget.Bytes is { } limit)
            {
                parts.Add(bytes.Max() <= limit ? $"≤ {limit} B: met" : $"≤ {limit} B: NOT met");
            }
        }

        return string.Join("; ", parts);
    }

    private static string Spread(double[] values, string format) =>
        values.Length == 1
            ? values[0].ToString(format, CultureInfo.InvariantCulture)
            : $"{Median(values).ToString(format, CultureInfo.InvariantCulture)} [{values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)}]";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Row(string Display, string Category, bool IsBaseline, double Median, long Bytes);

    /// <summary>The declared order, or its reverse.</summary>
    private sealed class ExecutionOrder(bool reversed) : DefaultOrderer
    {
        public override IEnumerable<BenchmarkCase> GetExecutionOrder(
            ImmutableArray<BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkLogicalGroupRule>? order = null)
        {
            var declared = base.GetExecutionOrder(benchmarksCase, order);
            return reversed ? declared.Reverse() : declared;
        }
    }
}
