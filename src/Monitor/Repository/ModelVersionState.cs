namespace Monitor.Repository;

/// <summary>Where a model version is in its life, as model metadata shows it.</summary>
public enum ModelVersionState
{
    Loading,
    Ready,
    Failed,
    Unloading,
}
