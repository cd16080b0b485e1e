/**
 * A todo's `order`: where a client that orders its list (the Todo-Backend API) puts it. Optional,
 * so NULL until set; bigint holds every whole number the app accepts (JavaScript's safe integers).
 */
export default /* sql */ `
ALTER TABLE todos ADD COLUMN "order" bigint;
`;
