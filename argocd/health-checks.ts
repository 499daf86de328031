import {
  LOG_GROUP_ANNOTATION,
  LOG_STREAM_PREFIX_ANNOTATION,
  LOG_URI_ANNOTATION,
} from '../config/observability';

/**
 * Argo CD health checks, as Lua sources keyed like Argo CD's
 * `resource.customizations.health.<group>_<Kind>` settings, one per kind (no wildcards: EKS's
 * managed Argo CD rejects them). They are installed through the Argo CD Helm values
 * (`configs.cm`). Without them Argo CD calls a custom resource Healthy the moment it exists, and
 * a sync wave would not wait for it.
 *
 * Argo CD runs each script with the live object as the global `obj` (gopher-lua, Lua 5.1) and
 * expects a table `{ status = "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" |
 * "Unknown", message = "…" }`.
 *
 * Status fields follow the ACK emrcontainers-controller v1.4.1 CRDs: both kinds have
 * `status.conditions[]` ({type, status, reason, message}) and `status.id`; only JobRun has
 * `status.state`. A VirtualCluster reports its EMR state (RUNNING, TERMINATED, ARRESTED) nowhere
 * in v1.4.1, so it is Healthy once ACK has created it (`status.id` set and `ACK.ResourceSynced`
 * True); the `status.state` branch takes over if a later controller adds the field.
 */

/**
 * Lua helpers shared by the ACK scripts (each script is a self-contained chunk): the condition
 * of a type whose status is "True", or nil; and the text to show for a condition.
 */
const ACK_CONDITIONS = `local function trueCondition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == conditionType and condition.status == "True" then
      return condition
    end
  end
  return nil
end

local function describe(condition, fallback)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition.reason ~= nil and condition.reason ~= "" then
    return condition.reason
  end
  return fallback
end

local function waiting(fallback)
  local recoverable = trueCondition("ACK.Recoverable")
  if recoverable ~= nil then
    return describe(recoverable, fallback)
  end
  return fallback
end
`;

/**
 * Where a JobRun's logs are, from its annotations (config/observability.ts) and, once EMR has
 * the run, the virtual cluster and run ids in its ARN: the CloudWatch log group and the stream
 * prefix of this run, the S3 prefix, and the `aws logs tail` one-liner; "" when the JobRun
 * carries no log annotations.
 */
const JOB_RUN_LOGS = `local function annotation(key)
  if obj.metadata == nil or obj.metadata.annotations == nil then
    return nil
  end
  local value = obj.metadata.annotations[key]
  if value == "" then
    return nil
  end
  return value
end

local function logs()
  local group = annotation("${LOG_GROUP_ANNOTATION}")
  local prefix = annotation("${LOG_STREAM_PREFIX_ANNOTATION}")
  local uri = annotation("${LOG_URI_ANNOTATION}")
  if group == nil or prefix == nil then
    return ""
  end
  local run = nil
  local region = nil
  if obj.status ~= nil and obj.status.ackResourceMetadata ~= nil then
    local arn = obj.status.ackResourceMetadata.arn
    region = obj.status.ackResourceMetadata.region
    if arn ~= nil then
      local cluster, id = string.match(arn, "/virtualclusters/([%w]+)/jobruns/([%w]+)$")
      if cluster ~= nil then
        run = cluster .. "/jobs/" .. id
      end
    end
  end
  if run == nil then
    local text = "; logs: CloudWatch " .. group .. ", streams " .. prefix .. "/<virtual cluster id>/jobs/<job run id>/"
    if uri ~= nil then
      text = text .. ", " .. uri .. "<virtual cluster id>/jobs/<job run id>/"
    end
    return text
  end
  local text = "; logs: CloudWatch " .. group .. ", streams " .. prefix .. "/" .. run .. "/"
  if uri ~= nil then
    text = text .. ", " .. uri .. run .. "/"
  end
  local tail = "aws logs tail " .. group
  if region ~= nil and region ~= "" then
    tail = tail .. " --region " .. region
  end
  return text .. "; open: " .. tail .. " --since 1d --log-stream-name-prefix " .. prefix .. "/" .. run
end
`;

/**
 * JobRun: `ACK.Terminal` → Degraded; otherwise the EMR job run state: PENDING, SUBMITTED,
 * RUNNING (and CANCEL_PENDING) → Progressing, COMPLETED → Healthy, FAILED, CANCELLED →
 * Degraded; no state yet → Progressing (ACK has not submitted it); any other state → Unknown.
 * Once EMR has the run, the message says where its logs are (see {@link JOB_RUN_LOGS}).
 */
const JOB_RUN_HEALTH = `${ACK_CONDITIONS}
${JOB_RUN_LOGS}
local hs = {}
local terminal = trueCondition("ACK.Terminal")
if terminal ~= nil then
  hs.status = "Degraded"
  hs.message = describe(terminal, "ACK reports a terminal error for this job run")
  return hs
end
local state = nil
if obj.status ~= nil then
  state = obj.status.state
end
if state == nil or state == "" then
  hs.status = "Progressing"
  hs.message = waiting("Waiting for the ACK controller to submit the job run")
elseif state == "COMPLETED" then
  hs.status = "Healthy"
  hs.message = "Job run completed" .. logs()
elseif state == "FAILED" or state == "CANCELLED" then
  hs.status = "Degraded"
  hs.message = "Job run " .. string.lower(state) .. logs()
elseif state == "PENDING" or state == "SUBMITTED" or state == "RUNNING" or state == "CANCEL_PENDING" then
  hs.status = "Progressing"
  hs.message = "Job run " .. string.lower(state) .. logs()
else
  hs.status = "Unknown"
  hs.message = "Unknown job run state " .. state
end
return hs
`;

/**
 * VirtualCluster: `ACK.Terminal` → Degraded; a `status.state` of TERMINATED or ARRESTED →
 * Degraded, RUNNING → Healthy; without a state, created in EMR (`status.id`) and
 * `ACK.ResourceSynced` True → Healthy; otherwise Progressing.
 */
const VIRTUAL_CLUSTER_HEALTH = `${ACK_CONDITIONS}
local hs = {}
local terminal = trueCondition("ACK.Terminal")
if terminal ~= nil then
  hs.status = "Degraded"
  hs.message = describe(terminal, "ACK reports a terminal error for this virtual cluster")
  return hs
end
local state = nil
local id = nil
if obj.status ~= nil then
  state = obj.status.state
  id = obj.status.id
end
if state == "TERMINATED" or state == "ARRESTED" then
  hs.status = "Degraded"
  hs.message = "Virtual cluster " .. string.lower(state)
elseif state == "RUNNING" then
  hs.status = "Healthy"
  hs.message = "Virtual cluster running"
elseif state == nil and id ~= nil and id ~= "" and trueCondition("ACK.ResourceSynced") ~= nil then
  hs.status = "Healthy"
  hs.message = "Virtual cluster " .. id .. " created"
else
  hs.status = "Progressing"
  if state ~= nil then
    hs.message = "Virtual cluster " .. string.lower(state)
  else
    hs.message = waiting("Waiting for the ACK controller to create the virtual cluster")
  end
end
return hs
`;

/**
 * Application: the health a child Application reports. Argo CD dropped this built-in in 1.8, so
 * without it the root Application treats every Application as Healthy the moment it exists and
 * its sync waves (platform apps before team apps) would not wait.
 */
const APPLICATION_HEALTH = `local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the application to report its health"
if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then
  hs.status = obj.status.health.status
  hs.message = "Application is " .. obj.status.health.status
end
return hs
`;

/**
 * Lua health scripts by Argo CD customization key (`<group>_<Kind>`), one per kind. The Argo CD
 * Helm release puts each under `configs.cm["resource.customizations.health.<key>"]`.
 */
export const resourceHealthChecks: Readonly<Record<string, string>> = Object.freeze({
  'argoproj.io_Application': APPLICATION_HEALTH,
  'emrcontainers.services.k8s.aws_JobRun': JOB_RUN_HEALTH,
  'emrcontainers.services.k8s.aws_VirtualCluster': VIRTUAL_CLUSTER_HEALTH,
});
