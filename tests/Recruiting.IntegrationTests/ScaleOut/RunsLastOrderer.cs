using Xunit.Abstractions;
using Xunit.Sdk;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>Marks a test that leaves its class fixture changed for good (it kills one of its processes).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

/// <summary>Runs the tests marked <see cref="RunsLastAttribute"/> after the others of their class.</summary>
public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "Recruiting.IntegrationTests.ScaleOut.RunsLastOrderer";
    public const string AssemblyName = "Recruiting.IntegrationTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(RunsLastAttribute).AssemblyQualifiedName).Any())
            .ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
