using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recruiting.Core.Storage;

namespace Recruiting.Infrastructure.Blobs;

public static class BlobStoreServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IBlobStore"/> as a singleton of the provider chosen in the <c>BlobStorage</c> section.</summary>
    /// <param name="dataDirectory">The app's data folder; the file-system store lives in its <c>blobs</c> subfolder by default.</param>
    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        // Bound lazily and checked at start-up: test hosts add configuration after Program.cs has called this.
        services.AddOptions<BlobStorageOptions>()
            .Bind(configuration.GetSection(BlobStorageOptions.Section))
            .Validate(o => o.Provider != BlobStoreProvider.Azure || !string.IsNullOrWhiteSpace(o.Azure.ConnectionString),
                $"{BlobStorageOptions.Section}:Provider is Azure but {BlobStorageOptions.Section}:Azure:ConnectionString is not set. "
                + "Set it (e.g. in user secrets or an environment variable), or use Provider FileSystem.")
            .Validate(o => o.Provider != BlobStoreProvider.Azure || !string.IsNullOrWhiteSpace(o.Azure.ContainerName),
                $"{BlobStorageOptions.Section}:Azure:ContainerName must not be empty.")
            .ValidateOnStart();

        services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BlobStorageOptions>>().Value;
            return options.Provider switch
            {
                BlobStoreProvider.Azure => new AzureBlobStore(options.Azure.ConnectionString!, options.Azure.ContainerName),
                BlobStoreProvider.FileSystem => new FileSystemBlobStore(
                    Path.Combine(dataDirectory, string.IsNullOrWhiteSpace(options.FileSystemPath) ? "blobs" : options.FileSystemPath)),
                _ => throw new InvalidOperationException($"{BlobStorageOptions.Section}:Provider '{options.Provider}' is not supported."),
            };
        });
        return services;
    }
}
