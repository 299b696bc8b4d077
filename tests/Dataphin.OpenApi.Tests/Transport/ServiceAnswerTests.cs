using System.Text;
using Dataphin.OpenApi.Diagnostics;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi.Tests.Transport;

public sealed class ServiceAnswerTests
{
    private const string Signature = "3f9a1c0e5b7d2a4f6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a";

    private static ServiceAnswer Parse(string json) => ServiceAnswer.TryParse(Encoding.UTF8.GetBytes(json))!;

    [Theory]
    [InlineData("RequestId", "Code", "Message", "HttpStatusCode")]
    [InlineData("requestId", "code", "message", "httpStatusCode")]
    [InlineData("REQUESTID", "CODE", "MESSAGE", "HTTPSTATUSCODE")]
    [InlineData("Request\\u0049d", "C\\u006fde", "\\u004dessage", "HttpStatus\\u0043ode")]
    public void Fields_are_read_in_any_casing_and_with_escaped_names(string requestId, string code, string message, string status)
    {
        var answer = Parse($"{{\"{requestId}\":\"R-1\",\"{code}\":\"Throttling.User\",\"{message}\":\"slow down\",\"{status}\":429,\"Success\":false}}");

        Assert.Equal("R-1", answer.RequestId);
        Assert.Equal("Throttling.User", answer.Code);
        Assert.Equal("slow down", answer.Message);
        Assert.Equal(429, answer.HttpStatusCode);
        Assert.False(answer.Success);
    }

    [Fact]
    public void Names_outside_ascii_long_names_and_nested_fields_are_not_read_as_the_answer_fields()
    {
        var answer = Parse("{\"Request\u0130d\":\"dotted\",\"RequestIdButMuchLongerThanAnyFieldName\":\"no\",\"Other\":{\"RequestId\":\"nested\"},\"C\u00f6de\":\"x\",\"RequestId\":\"R-3\"}");

        Assert.Equal("R-3", answer.RequestId);
        Assert.Null(answer.Code);
    }

    [Fact]
    public void The_first_occurrence_of_a_field_wins_and_bodies_that_are_not_one_json_object_are_not_answers()
    {
        Assert.Equal("first", Parse("{\"Code\":\"first\",\"code\":\"second\"}").Code);
        Assert.Null(ServiceAnswer.TryParse(Encoding.UTF8.GetBytes("{\"Code\":\"x\"")));
        Assert.Null(ServiceAnswer.TryParse(Encoding.UTF8.GetBytes("{\"Code\":\"x\"} trailing")));
        Assert.Null(ServiceAnswer.TryParse(Encoding.UTF8.GetBytes("[1]")));
        Assert.Null(ServiceAnswer.TryParse([]));
    }

    [Fact]
    public void Redacting_an_answer_without_secrets_keeps_the_instance_and_an_answer_with_one_is_copied_without_it()
    {
        var redactor = SecretRedactor.For(new DataphinCredential("LTAI5tAnswerTest", "Zq8/Wp3+Lm5=Tx7Kd2Vb9Hn4Rc6Fyu"), Signature);
        var clean = Parse("{\"RequestId\":\"82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140\",\"Success\":true,\"Code\":\"OK\",\"Message\":\"success\"}");
        Assert.Same(clean, clean.Redact(redactor));

        var echoing = Parse("{\"RequestId\":\"R-1\",\"Success\":true,\"Code\":\"OK\",\"Message\":\"gateway saw " + Signature.Substring(8, 16) + "\"}");
        var redacted = echoing.Redact(redactor);
        Assert.NotSame(echoing, redacted);
        Assert.Equal("gateway saw ***", redacted.Message);
        Assert.Equal("R-1", redacted.RequestId);
        Assert.True(redacted.Success);
    }

    [Fact]
    public void A_run_of_the_signature_broken_by_a_line_break_is_found_after_text_that_had_none()
    {
        var redactor = SecretRedactor.For(new DataphinCredential("LTAI5tAnswerTest", "Zq8/Wp3+Lm5=Tx7Kd2Vb9Hn4Rc6Fyu"), Signature);

        // The first text has no run of lowercase hex, so the signature's runs are not even looked up; the next ones are.
        Assert.Equal("ABCDEF0123-xyz", redactor.Redact("ABCDEF0123-xyz"));
        Assert.Equal("saw ***.", redactor.Redact("saw " + Signature.Substring(30, 5) + "\r\n" + Signature.Substring(35, 5) + "."));
        Assert.Equal("saw ***", redactor.Redact("saw " + Uri.EscapeDataString(Signature.AsSpan(0, 12))));
    }
}
