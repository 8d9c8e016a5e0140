using System.Security.Cryptography;

namespace MySecureApi.Features.DevIssuer;

/// <summary>Writes a secret file readable by its owner only, atomically; the first writer wins a race.</summary>
internal static class OwnerOnlyFile
{
    /// <summary>
    /// Loads <paramref name="key"/> from the PEM file at <paramref name="path"/> or, when there is none, saves the key
    /// as it is (owner-only); if another process saved one first, loads that one, so all share a single key.
    /// </summary>
    public static void LoadOrSaveKey(AsymmetricAlgorithm key, string path)
    {
        if (File.Exists(path) || !Write(path, key.ExportPkcs8PrivateKeyPem()))
            key.ImportFromPem(File.ReadAllText(path));
    }

    /// <summary>True when this call created the file; false when another process created it first.</summary>
    public static bool Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var ownerOnly = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            ownerOnly.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, ownerOnly))
        using (var writer = new StreamWriter(file))
            writer.Write(text);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
