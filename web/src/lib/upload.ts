/**
 * uploadWork as a GraphQL multipart request (files streamed to the API), with upload progress
 * (XMLHttpRequest reports it; fetch does not).
 */
import { bodyOf, graphql, unwrap, type ResultOf } from "./graphql";
import { getApiKey } from "./apiKey";
import { ApiError, GRAPHQL_URL } from "./graphql";

export const UPLOAD = graphql(`
  mutation UploadWork($input: UploadWorkInput!) {
    uploadWork(input: $input) {
      metadataCid kind identifier
      files { path cid size mimeType }
      transaction { description to data value chainId gas simulationError }
    }
  }
`);

export function uploadWork(
  input: { from: string; metadata: string; files: File[]; split: { account: string; shareBps: number }[] },
  onProgress: (sent: number, total: number) => void,
): Promise<ResultOf<typeof UPLOAD>["uploadWork"]> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: bodyOf(UPLOAD), variables: { input: { ...input, files: input.files.map(() => null) } } }));
  form.append("map", JSON.stringify(Object.fromEntries(input.files.map((_, i) => [String(i), [`variables.input.files.${i}`]]))));
  input.files.forEach((f, i) => form.append(String(i), f, f.name));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", GRAPHQL_URL);
    const key = getApiKey();
    if (key) xhr.setRequestHeader("authorization", `Bearer ${key}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onerror = () => reject(new ApiError("NETWORK", "upload failed"));
    xhr.onload = () => {
      let json = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      try {
        resolve(unwrap<ResultOf<typeof UPLOAD>>(xhr.status, json).uploadWork);
      } catch (err) {
        reject(err);
      }
    };
    xhr.send(form);
  });
}
