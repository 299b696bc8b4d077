namespace Dataphin.OpenApi.Authentication.Sources;

/// <summary>Checks, on Unix, whether a file holding a secret can be read by users other than its owner.</summary>
internal static class FilePermissions
{
    /// <summary>A warning when group members or other users may read <paramref name="path"/>; <see langword="null"/> otherwise, on Windows, or where the mode cannot be read.</summary>
    public static string? ExposureWarning(string path, string holds)
    {
#if NET7_0_OR_GREATER
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var group = (mode & UnixFileMode.GroupRead) != 0;
        var others = (mode & UnixFileMode.OtherRead) != 0;
        if (!group && !others)
        {
            return null;
        }

        var who = group && others ? "group members and other users" : group ? "group members" : "other users";
        return $"{path} holds {holds} and {who} can read it; make it private: chmod 600 '{path}'";
#else
        _ = path;
        _ = holds;
        return null;
#endif
    }
}
