// The XRayAPI module.
