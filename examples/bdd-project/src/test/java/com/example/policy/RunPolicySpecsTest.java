package com.example.policy;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/** Runs the team's feature files with kubeward's step library. */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("com/example/policy")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "io.kubeward.features")
public class RunPolicySpecsTest {
}
