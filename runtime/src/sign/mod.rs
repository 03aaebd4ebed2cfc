//! Request signing (placeholder; being written).
